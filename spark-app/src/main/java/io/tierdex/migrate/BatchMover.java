package io.tierdex.migrate;

import java.io.IOException;
import java.util.List;

/** Moves a batch of planned files to their target pools: one implementation per mover. */
public interface BatchMover {
  /**
   * Moves {@code files} and returns one result per file, in the same order. A file the mover
   * could not move is a result (FAILED with a reason), not an exception.
   *
   * @throws java.io.InterruptedIOException if the calling thread is interrupted; a tool still
   *     running is killed first
   */
  List<MoveResult> move(List<PlannedFile> files) throws IOException;
}
