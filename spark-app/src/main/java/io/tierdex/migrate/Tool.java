package io.tierdex.migrate;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The external program a mover runs, as configured: a path, or a name looked up on
 * {@code searchPath}. The lookup is ours, not ProcessBuilder's: Java searches the PATH of its
 * own process whatever the child's environment says, and a missing tool should be reported
 * with the fix, per file, instead of as an exception. {@code displayName} is how reasons name
 * the program ({@code beegfs entry migrate}); {@code install} says how to get it.
 */
record Tool(String executable, Duration timeout, String searchPath, String displayName,
    String install) {

  Tool {
    Objects.requireNonNull(executable, "executable");
    if (executable.isBlank()) {
      throw new IllegalArgumentException("the " + displayName + " executable is empty: give a"
          + " name on PATH or a path");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the " + displayName + " timeout must be positive, got "
          + timeout);
    }
  }

  /** The file to run, if there is one. */
  Optional<Path> locate() {
    try {
      if (executable.contains("/")) {
        Path p = Path.of(executable);
        return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p)
            : Optional.empty();
      }
      for (String dir : (searchPath == null ? "" : searchPath).split(File.pathSeparator)) {
        Path p = Path.of(dir.isEmpty() ? "." : dir, executable);
        if (Files.isRegularFile(p) && Files.isExecutable(p)) {
          return Optional.of(p);
        }
      }
    } catch (InvalidPathException e) {
      // reported as missing
    }
    return Optional.empty();
  }

  /** Why {@link #locate} found nothing, and what to do. */
  String missing() {
    String why;
    if (!executable.contains("/")) {
      why = "not found on PATH (" + searchPath + ")";
    } else if (Files.exists(Path.of(executable))) {
      why = "not an executable file";
    } else {
      why = "no such file";
    }
    return cannotRun(why);
  }

  /** A reason for files the tool could not be started for. */
  String cannotRun(String why) {
    return "cannot run " + displayName + " (" + executable + "): " + why + "; " + install
        + ", or choose the copy mover";
  }

  /** The timeout, for reasons: {@code 30 s}. */
  String timeoutText() {
    return timeout.toSeconds() > 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
  }
}
