package io.tierdex.migrate;

import java.util.Objects;

/**
 * The outcome for one planned file, with why, in words for the report, unless it moved.
 * {@code newInode} and {@code checksum} are set by movers that know them (the copy mover).
 */
public record MoveResult(String path, MoveOutcome outcome, String reason, String newInode,
    String checksum) {

  public MoveResult {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(outcome, "outcome");
    if ((outcome == MoveOutcome.MIGRATED) != (reason == null)) {
      throw new IllegalArgumentException(outcome + " for " + path + (reason == null
          ? " needs a reason" : " takes no reason, got '" + reason + "'"));
    }
  }

  public MoveResult(String path, MoveOutcome outcome, String reason) {
    this(path, outcome, reason, null, null);
  }

  public static MoveResult migrated(String path) {
    return new MoveResult(path, MoveOutcome.MIGRATED, null);
  }

  /** Moved by a mover that knows the file's new inode and the checksum of what it copied. */
  public static MoveResult migrated(String path, String newInode, String checksum) {
    return new MoveResult(path, MoveOutcome.MIGRATED, null, newInode, checksum);
  }

  public static MoveResult failed(String path, String reason) {
    return new MoveResult(path, MoveOutcome.FAILED, reason);
  }
}
