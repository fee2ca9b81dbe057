package io.tierdex.migrate;

/** What became of one planned file in the migration stage: one per ledger row. */
public enum MoveOutcome {
  /**
   * The file is on the target pool now: copied there and renamed over the original, so the
   * path is the same and the inode is new.
   */
  MIGRATED,
  /** Nothing is at the path any more; there was nothing to move. */
  VANISHED,
  /**
   * The file is not the one the plan saw (inode, type, size, mtime, ctime or pool differ),
   * so it was left exactly as it is; the next snapshot sees it as it is now.
   */
  SKIPPED_CHANGED,
  /** The file was read or written too recently to move; left as it is. */
  SKIPPED_HOT,
  /** Some process or client has the file open; left as it is. */
  SKIPPED_OPEN,
  /**
   * The file was not moved, because the tool reported an error, said nothing about it, was
   * stopped, or could not be run; the result's reason says which and what to do.
   */
  FAILED
}
