package io.tierdex.snapshot;

/** What happened to a path between two snapshots. */
public enum ChangeKind {
  /** A path only the newer snapshot has (and not a rename). */
  ADDED,
  /** A path only the older snapshot has (and not a rename). */
  REMOVED,
  /** Same path, same inode; size, mtime, ctime, mode or owner changed. */
  MODIFIED,
  /**
   * Same inode, new path: the only removed path and the only added path with that inode,
   * type, size and mtime.
   */
  RENAMED,
  /** Same path, another inode: a new file took the name (and is back on the fast pool). */
  REPLACED,
  /** Same path, the inode tierdex recorded when it moved the file, size and mtime as moved. */
  MIGRATED,
  /** Same path, inode and fields: counted, not written. */
  UNCHANGED
}
