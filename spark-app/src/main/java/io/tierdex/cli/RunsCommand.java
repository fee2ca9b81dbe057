package io.tierdex.cli;

import io.tierdex.report.Quantities;
import io.tierdex.snapshot.Manifest;
import io.tierdex.snapshot.RunId;
import io.tierdex.snapshot.StateDir;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "runs",
    mixinStandardHelpOptions = true,
    description = {
      "List the committed runs of a state directory, oldest first: kind, start, what they"
          + " hold. A run without a manifest did not commit and is left out (--all shows it)."
    })
final class RunsCommand implements Callable<Integer> {
  @Option(names = "--state", paramLabel = "DIR", defaultValue = "${env:TIERDEX_STATE}",
      description = "The state directory (default: $TIERDEX_STATE).")
  String state;

  @Option(names = "--all", description = "Also list runs that did not commit (interrupted or"
      + " still running).")
  boolean all;

  private record Line(RunId id, String text) {}

  @Override
  public Integer call() {
    StateDir dir = StateDir.open(state, new Configuration());
    String format = "%-25s %-8s %-10s %-20s %13s %10s  %s%n";
    List<Line> lines = new ArrayList<>();
    for (Manifest m : dir.committed()) {
      String entries = "";
      String bytes = "";
      if (m.snapshot() != null) {
        entries = Quantities.count(m.snapshot().entries());
        bytes = Quantities.bytes(m.snapshot().bytes());
      }
      lines.add(new Line(m.runId(), String.format(format, m.run(), m.kind(), "committed",
          when(m.runId()), entries, bytes,
          changes(m))));
    }
    if (all) {
      for (RunId id : dir.incomplete()) {
        lines.add(new Line(id, String.format(format, id, "?", "incomplete",
            when(id), "", "", "")));
      }
    }
    lines.sort(Comparator.comparing(Line::id));
    System.out.printf(format, "RUN", "KIND", "STATUS", "STARTED", "ENTRIES", "BYTES", "CHANGES");
    lines.forEach(l -> System.out.print(l.text()));
    if (lines.isEmpty()) {
      System.out.println("(no runs in " + dir.root() + ")");
    }
    return Tierdex.OK;
  }

  /** A run's start to the second, {@code 2026-11-22 06:15:30Z}. */
  private static String when(RunId id) {
    return id.started().truncatedTo(ChronoUnit.SECONDS).toString().replace('T', ' ');
  }

  private static String changes(Manifest m) {
    if (m.changes() == null) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, Manifest.Totals> e : m.changes().kinds().entrySet()) {
      if (!e.getKey().equals("UNCHANGED") && e.getValue().entries() > 0) {
        parts.add(e.getKey().toLowerCase() + " " + Quantities.count(e.getValue().entries()));
      }
    }
    return (parts.isEmpty() ? "no changes" : String.join(", ", parts)) + " (" + m.changes().old()
        + " -> " + m.changes().current() + ")";
  }
}
