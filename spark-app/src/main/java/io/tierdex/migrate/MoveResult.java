package io.tierdex.migrate;

import java.util.Objects;

/** The outcome for one planned file, with why, in words for the report, unless it moved. */
public record MoveResult(String path, MoveOutcome outcome, String reason) {

  public MoveResult {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(outcome, "outcome");
    if ((outcome == MoveOutcome.MIGRATED) != (reason == null)) {
      throw new IllegalArgumentException(outcome + " for " + path + (reason == null
          ? " needs a reason" : " takes no reason, got '" + reason + "'"));
    }
  }

  public static MoveResult migrated(String path) {
    return new MoveResult(path, MoveOutcome.MIGRATED, null);
  }

  public static MoveResult failed(String path, String reason) {
    return new MoveResult(path, MoveOutcome.FAILED, reason);
  }
}
