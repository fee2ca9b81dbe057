package io.tierdex.migrate;

import java.util.List;

/** The part of a tool's stderr that explains a failure, for a reason. */
final class Stderr {
  private static final int TAIL = 3;

  private Stderr() {}

  /**
   * Its {@code Error:} lines (how the BeeGFS 8 tool reports what stopped it) if any, else its
   * last few lines; summaries and blank lines left out.
   */
  static String gist(List<String> stderr) {
    List<String> said = stderr.stream().map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("Summary: ")).toList();
    List<String> errors = said.stream().filter(l -> l.startsWith("Error:")).toList();
    List<String> gist = errors.isEmpty()
        ? said.subList(Math.max(0, said.size() - TAIL), said.size()) : errors;
    return gist.isEmpty() ? "it printed no error message" : String.join(" / ", gist);
  }
}
