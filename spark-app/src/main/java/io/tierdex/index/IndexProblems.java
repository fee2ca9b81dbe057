package io.tierdex.index;

import java.io.PrintStream;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Problems met during a walk: each is printed with its path (up to a limit per kind, so
 * a tree full of unreadable directories does not flood a nightly log), counted, and
 * listed in the final summary. In strict mode the first one stops the run.
 */
final class IndexProblems {
  private static final int PRINT_LIMIT = 50;

  enum Kind {
    UNREADABLE_DIR("directories that could not be read",
        "skipped; run as a user who can read it, or as root"),
    VANISHED("entries that vanished during the walk", "skipped; they are gone"),
    BAD_NAME("entries whose names are not valid UTF-8", "skipped; rename them to valid UTF-8"),
    STAT_FAILED("entries that could not be stat'ed", "skipped"),
    XATTR_FAILED("entries whose extended attributes could not be read",
        "indexed without xattrs"),
    WRITE_FAILED("index directories that could not be written", "check the index file system");

    final String plural;
    final String action;

    Kind(String plural, String action) {
      this.plural = plural;
      this.action = action;
    }
  }

  private final Map<Kind, AtomicLong> counts = new EnumMap<>(Kind.class);
  private final PrintStream err;
  private final boolean strict;
  private volatile String firstFatal;

  IndexProblems(PrintStream err, boolean strict) {
    this.err = err;
    this.strict = strict;
    for (Kind k : Kind.values()) {
      counts.put(k, new AtomicLong());
    }
  }

  void report(Kind kind, String path, String reason) {
    long n = counts.get(kind).incrementAndGet();
    String line = "tierdex index: " + path + ": " + reason + " (" + kind.action + ")";
    if (strict && firstFatal == null) {
      firstFatal = path + ": " + reason;
    }
    if (n <= PRINT_LIMIT) {
      err.println(line);
    } else if (n == PRINT_LIMIT + 1) {
      err.println("tierdex index: more " + kind.plural + "; further ones are counted, not printed");
    }
  }

  /** The first problem, when --strict asked to stop at it. */
  String fatal() {
    return firstFatal;
  }

  long count(Kind kind) {
    return counts.get(kind).get();
  }

  long total() {
    return counts.values().stream().mapToLong(AtomicLong::get).sum();
  }
}
