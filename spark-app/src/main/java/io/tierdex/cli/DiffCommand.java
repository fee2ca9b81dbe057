package io.tierdex.cli;

import io.tierdex.report.Quantities;
import io.tierdex.snapshot.Manifest;
import io.tierdex.snapshot.RunId;
import io.tierdex.snapshot.SnapshotRuns;
import io.tierdex.snapshot.SqldiffFormat;
import io.tierdex.snapshot.StateDir;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "diff",
    mixinStandardHelpOptions = true,
    customSynopsis = "tierdex diff [--old=RUN] [--new=RUN] [--format=FORMAT] --state=DIR"
        + " [OLD_INDEX NEW_INDEX]",
    description = {
      "What changed between two snapshots (default: the two newest in the state directory),"
          + " or between two index trees: one row per path in runs/<id>/changes, of kind"
          + " ADDED, REMOVED, MODIFIED (with the changed fields), RENAMED (same inode, new"
          + " path), REPLACED (same path, new inode) or MIGRATED (the inode tierdex moved it"
          + " to, untouched since); UNCHANGED paths are counted, not written.",
      "Given two index trees, both are snapshotted and the newer snapshot is kept as this"
          + " run's, so the next plain 'tierdex diff' can start from it."
    },
    footer = {"", "Examples:",
      "  tierdex diff --state /srv/tierdex",
      "  tierdex diff --state /srv/tierdex --format sqldiff > changes.sql",
      "  tierdex diff --state /srv/tierdex /srv/index-yesterday/projects /srv/index/projects"})
final class DiffCommand implements Callable<Integer> {
  @Parameters(arity = "0..2", paramLabel = "INDEX",
      description = "Two index roots to compare instead of stored snapshots: older, newer.")
  List<String> indexes = List.of();

  @Option(names = "--old", paramLabel = "RUN", description = "The older snapshot run"
      + " (default: the snapshot before --new).")
  String old;

  @Option(names = "--new", paramLabel = "RUN", description = "The newer snapshot run"
      + " (default: the newest).")
  String current;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "summary",
      description = "What to print: summary (default), or sqldiff (the changes as SQL"
          + " statements on a flattened entries table, as sqldiff --primarykey prints them;"
          + " the summary goes to stderr).")
  String format;

  @Mixin
  SnapshotOptions snapshot;

  @Mixin
  StateOptions state;

  @Override
  public Integer call() {
    if (!format.equals("summary") && !format.equals("sqldiff")) {
      throw new IllegalArgumentException("--format must be summary or sqldiff, not '" + format
          + "'");
    }
    if (indexes.size() == 1) {
      throw new IllegalArgumentException("give two index trees (OLD_INDEX NEW_INDEX), or none"
          + " to compare stored snapshots");
    }
    if (!indexes.isEmpty() && (old != null || current != null)) {
      throw new IllegalArgumentException("--old and --new name stored snapshots; they do not"
          + " go with index trees");
    }
    try (SparkSessions s = SparkSessions.open(state.master, "tierdex diff")) {
      StateDir dir = state.open(s.spark());
      SnapshotRuns runs = new SnapshotRuns(s.spark(), dir, Tierdex.version());
      Manifest m = indexes.isEmpty()
          ? runs.diffRuns(old == null ? null : new RunId(old),
              current == null ? null : new RunId(current), state.keep)
          : runs.diffIndexes(indexes.get(0), indexes.get(1),
              snapshot.with(state.keep));
      String changes = dir.output(m.runId(), "changes").toString();
      PrintStream summaryOut = System.out;
      if (format.equals("sqldiff")) {
        SqldiffFormat.print(s.spark().read().parquet(changes), System.out);
        System.out.flush();
        summaryOut = System.err;
      }
      printSummary(m, changes, summaryOut);
    }
    return Tierdex.OK;
  }

  static void printSummary(Manifest m, String changes, PrintStream out) {
    Manifest.ChangesInfo c = m.changes();
    out.printf("diff %s: %s -> %s%n", m.run(), c.old(), c.current());
    out.printf("  %-10s %14s %12s%n", "kind", "entries", "bytes");
    for (Map.Entry<String, Manifest.Totals> e : c.kinds().entrySet()) {
      out.printf("  %-10s %14s %12s%n", e.getKey(), Quantities.count(e.getValue().entries()),
          Quantities.bytes(e.getValue().bytes()));
    }
    if (!c.topDirectories().isEmpty()) {
      out.println("  directories with the most changes:");
      for (Manifest.DirectoryChanges d : c.topDirectories()) {
        out.printf("  %14s %12s  %s%n", Quantities.count(d.entries()), Quantities.bytes(d.bytes()),
            d.dir());
      }
    }
    out.println("  changes: " + changes);
  }
}
