package io.tierdex.migrate;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Which files of a batch go to the tool. Each path goes once (two migrators on one file can
 * corrupt it), only if the tool can be given and can report that path, and only if the file is
 * still the one the plan saw. Every file left out gets its result here.
 */
final class Admission {
  private Admission() {}

  /**
   * The indexes of the files of {@code files} to give to the tool; the others' results are set
   * in {@code results}. {@code refusal} says why the tool cannot take a path, or null.
   */
  static List<Integer> admit(List<PlannedFile> files, MoveResult[] results,
      Function<String, String> refusal) {
    List<Integer> admitted = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < files.size(); i++) {
      PlannedFile f = files.get(i);
      String refused = f.path().startsWith("/") ? refusal.apply(f.path())
          : "not an absolute path; the plan lists absolute paths";
      Integer first = refused == null ? seen.putIfAbsent(normalize(f.path()), i) : null;
      SourceCheck.Drift d;
      if (refused != null) {
        results[i] = MoveResult.failed(f.path(), refused);
      } else if (first != null) {
        results[i] = MoveResult.failed(f.path(), "listed again in this batch (first as file "
            + (first + 1) + "); a file is given to the tool once");
      } else if ((d = SourceCheck.drift(f)) != null) {
        String reason = d.outcome() == MoveOutcome.SKIPPED_CHANGED
            ? "changed since it was planned (" + d.what() + "); not moved" : d.what();
        results[i] = new MoveResult(f.path(), d.outcome(), reason);
      } else {
        admitted.add(i);
      }
    }
    return admitted;
  }

  /** The path as the tools print it: no repeated '/', '.' or '..' steps, no trailing '/'. */
  static String normalize(String path) {
    try {
      return Path.of(path).normalize().toString();
    } catch (InvalidPathException e) {
      return path;
    }
  }

  /** The first control character in {@code path}, as a Java escape, or null. */
  static String controlCharacter(String path) {
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (Character.isISOControl(c)) {
        return switch (c) {
          case '\n' -> "\\n";
          case '\r' -> "\\r";
          case '\t' -> "\\t";
          default -> String.format("\\u%04x", (int) c);
        };
      }
    }
    return null;
  }
}
