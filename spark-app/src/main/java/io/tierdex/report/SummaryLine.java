package io.tierdex.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The run in one line, for the log, the page's heading and the history:
 * {@code run 20261122T061530123Z-3fa2 (yes): moved 40 files (63.2 MiB), 0 failed, 2 skipped;
 * 1,234 entries changed; 812 files (1.3 GiB) remain on fast; exit 0 after 14.2 s}.
 */
final class SummaryLine {
  private SummaryLine() {}

  static String of(String run, String mode, int exitCode, Report.Moves moves,
      Report.Changes changes, double seconds) {
    List<String> parts = new ArrayList<>();
    if (moves == null) {
      parts.add("no plan");
    } else if (moves.basis().equals("planned")) {
      long[] planned = totals(moves, ReportBuilder.PLANNED);
      parts.add("planned " + files(planned[0]) + " (" + Quantities.bytes(planned[1])
          + "), none moved");
    } else {
      long skipped = moves.outcomes().stream().filter(o -> !o.outcome().equals("MIGRATED")
          && !o.outcome().equals("FAILED")).mapToLong(Report.OutcomeTotals::files).sum();
      parts.add("moved " + files(moves.movedFiles()) + " (" + Quantities.bytes(
          moves.movedBytes()) + "), " + Quantities.count(moves.failedFiles()) + " failed, "
          + Quantities.count(skipped) + " skipped");
    }
    if (changes != null) {
      parts.add(Quantities.count(changes.kinds().stream()
          .mapToLong(Report.KindTotals::entries).sum()) + " entries changed");
    }
    if (moves != null && moves.fastPools() != null) {
      Report.FastPools f = moves.fastPools();
      parts.add(files(f.files()) + " (" + Quantities.bytes(f.bytes()) + ") remain on "
          + String.join(", ", f.pools()));
    }
    parts.add("exit " + exitCode + " after " + Quantities.seconds(seconds));
    return "run " + run + " (" + mode + "): " + String.join("; ", parts);
  }

  private static long[] totals(Report.Moves moves, String outcome) {
    return moves.outcomes().stream().filter(o -> o.outcome().equals(outcome))
        .map(o -> new long[] {o.files(), o.bytes()}).findFirst().orElse(new long[2]);
  }

  private static String files(long n) {
    return Quantities.count(n) + (n == 1 ? " file" : " files");
  }
}
