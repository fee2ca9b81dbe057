package io.tierdex.report;

import java.util.Locale;

/** A report as plain-text tables, for {@code tierdex report} and logs. */
public final class ReportText {
  private final StringBuilder out = new StringBuilder();

  private ReportText() {}

  public static String of(Report r) {
    ReportText t = new ReportText();
    t.write(r);
    return t.out.toString();
  }

  private void write(Report r) {
    line("tierdex report of run %s", r.run());
    line("  %s", r.summary());
    line("  mode %s, %s, exit code %d", r.mode(), r.committed() ? "committed" : "not committed",
        r.exitCode());
    line("  started %s, finished %s", r.started(), r.finished());
    if (!r.sourceRoots().isEmpty()) {
      line("  sources: %s", String.join(", ", r.sourceRoots()));
    }
    if (r.inputs() != null) {
      Report.Inputs i = r.inputs();
      line("  from: snapshot %s, diff %s, plan %s%s", none(i.snapshot()), none(i.diff()),
          none(i.plan()), i.policies() == null ? "" : " (" + i.policies() + ")");
    }
    if (!r.phases().isEmpty()) {
      heading("Phases");
      line("  %-20s %10s", "phase", "seconds");
      for (Report.Phase p : r.phases()) {
        line("  %-20s %10.1f", p.name(), p.seconds());
      }
    }
    if (r.changes() != null) {
      heading("Changes since " + r.changes().old());
      line("  %-10s %12s %12s", "kind", "entries", "bytes");
      for (Report.KindTotals k : r.changes().kinds()) {
        line("  %-10s %12s %12s", k.kind(), Quantities.count(k.entries()),
            Quantities.bytes(k.bytes()));
      }
    }
    Report.Moves m = r.moves();
    if (m != null) {
      heading(m.basis().equals("ledger") ? "Moves (from the ledger)"
          : "Moves (planned only: nothing was migrated)");
      line("  %-16s %12s %12s", "outcome", "files", "bytes");
      for (Report.OutcomeTotals o : m.outcomes()) {
        line("  %-16s %12s %12s", o.outcome(), Quantities.count(o.files()),
            Quantities.bytes(o.bytes()));
      }
      if (m.moveSeconds() != null) {
        line("  move stage: %s", Quantities.seconds(m.moveSeconds()));
      }
      if (m.fastPools() != null) {
        line("  remaining on %s: %s files, %s", String.join(", ", m.fastPools().pools()),
            Quantities.count(m.fastPools().files()), Quantities.bytes(m.fastPools().bytes()));
      }
      heading("Per rule");
      line("  %-24s %-16s %12s %12s", "rule", "outcome", "files", "bytes");
      for (Report.RuleTotals t : m.rules()) {
        line("  %-24s %-16s %12s %12s", t.rule(), t.outcome(), Quantities.count(t.files()),
            Quantities.bytes(t.bytes()));
      }
    }
    distribution("Sizes", r.sizes());
    distribution("Ages (since last modified)", r.ages());
    if (r.topUsers() != null && !r.topUsers().isEmpty()) {
      heading("Top users by bytes " + movedWord(r));
      line("  %-24s %12s %12s", "user", "files", "bytes");
      for (Report.UserBytes u : r.topUsers()) {
        line("  %-24s %12s %12s", user(u), Quantities.count(u.files()),
            Quantities.bytes(u.bytes()));
      }
    }
    if (r.topDirectories() != null && !r.topDirectories().isEmpty()) {
      heading("Top directories by bytes " + movedWord(r));
      line("  %12s %12s  %s", "files", "bytes", "directory");
      for (Report.DirectoryBytes d : r.topDirectories()) {
        line("  %12s %12s  %s", Quantities.count(d.files()), Quantities.bytes(d.bytes()),
            d.dir());
      }
    }
    if (r.throughput() != null) {
      Report.Throughput t = r.throughput();
      heading("Throughput (from " + t.start() + ", " + t.bucketSeconds() + " s buckets)");
      line("  %10s %10s %12s %12s", "from s", "files", "bytes", "per second");
      for (Report.TimeBucket b : t.buckets()) {
        line("  %10d %10s %12s %12s", b.offsetSeconds(), Quantities.count(b.files()),
            Quantities.bytes(b.bytes()), Quantities.bytes(b.bytes() / t.bucketSeconds()));
      }
    }
    if (!r.history().isEmpty()) {
      heading("History");
      line("  %-25s %-5s %10s %12s %8s %10s", "run", "mode", "moved", "bytes", "failed",
          "seconds");
      for (Report.HistoryEntry h : r.history()) {
        line("  %-25s %-5s %10s %12s %8s %10.1f", h.run(), h.mode(),
            Quantities.count(h.movedFiles()), Quantities.bytes(h.movedBytes()),
            Quantities.count(h.failedFiles()), h.seconds());
      }
    }
    if (!r.notes().isEmpty()) {
      heading("Notes");
      r.notes().forEach(n -> line("  %s", n));
    }
  }

  private void distribution(String title, Report.Distribution d) {
    if (d == null) {
      return;
    }
    heading(title + ": " + d.moved().toLowerCase(Locale.ROOT) + " and remaining");
    line("  %-16s %10s %12s %12s %12s", d.measure(), d.moved().toLowerCase(Locale.ROOT),
        "bytes", "remaining", "bytes");
    for (Report.Bucket b : d.buckets()) {
      line("  %-16s %10s %12s %12s %12s", b.label(), Quantities.count(b.movedFiles()),
          Quantities.bytes(b.movedBytes()), Quantities.count(b.remainingFiles()),
          Quantities.bytes(b.remainingBytes()));
    }
  }

  private static String movedWord(Report r) {
    return r.moves() != null && r.moves().basis().equals("planned") ? "planned" : "moved";
  }

  static String user(Report.UserBytes u) {
    if (u.uid() == null) {
      return "(not in the snapshot)";
    }
    return u.name() == null ? "uid " + u.uid() : u.name() + " (" + u.uid() + ")";
  }

  private static String none(String s) {
    return s == null ? "none" : s;
  }

  private void heading(String title) {
    out.append('\n').append(title).append('\n');
  }

  private void line(String format, Object... args) {
    out.append(String.format(Locale.ROOT, format, args)).append('\n');
  }
}
