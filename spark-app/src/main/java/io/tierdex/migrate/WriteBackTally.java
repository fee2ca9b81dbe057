package io.tierdex.migrate;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What a write-back did so far: directories and rows written, and the first problems in
 * words. One per Spark task, returned (not accumulated), so a retried task's tally replaces
 * the failed attempt's instead of adding to it; the driver merges them.
 */
final class WriteBackTally implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Problem lines kept; the rest are only counted. */
  static final int SHOWN = 20;

  private long directories;
  private long rows;
  private long problemCount;
  private final ArrayList<String> problems = new ArrayList<>();

  void written(long updatedRows) {
    if (updatedRows > 0) {
      directories++;
      rows += updatedRows;
    }
  }

  void problem(String line) {
    problemCount++;
    if (problems.size() < SHOWN) {
      problems.add(line);
    }
  }

  long problemCount() {
    return problemCount;
  }

  WriteBackTally merge(WriteBackTally other) {
    directories += other.directories;
    rows += other.rows;
    for (String p : other.problems) {
      if (problems.size() < SHOWN) {
        problems.add(p);
      }
    }
    problemCount += other.problemCount;
    return this;
  }

  IndexWriteBack.Result toResult() {
    List<String> lines = new ArrayList<>(problems);
    if (problemCount > problems.size()) {
      lines.add("... and " + (problemCount - problems.size()) + " more problems");
    }
    return new IndexWriteBack.Result(directories, rows, List.copyOf(lines));
  }
}
