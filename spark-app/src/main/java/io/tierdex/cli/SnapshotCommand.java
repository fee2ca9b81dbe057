package io.tierdex.cli;

import io.tierdex.report.Quantities;
import io.tierdex.snapshot.Manifest;
import io.tierdex.snapshot.SnapshotRuns;
import io.tierdex.snapshot.StateDir;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "snapshot",
    mixinStandardHelpOptions = true,
    description = {
      "Snapshot an index: every file and symlink it holds, with full path, stat fields and"
          + " tiering columns, as Parquet in a new run of the state directory"
          + " (runs/<id>/snapshot, bucketed by path). tierdex diff compares two snapshots."
    },
    footer = {"", "Example:",
      "  tierdex snapshot --state /srv/tierdex --source /mnt/beegfs/projects /srv/index/projects"})
final class SnapshotCommand implements Callable<Integer> {
  @Parameters(paramLabel = "INDEX", description = "The index root (INDEX_PARENT/<source name>).")
  String index;

  @Mixin
  SnapshotOptions snapshot;

  @Mixin
  StateOptions state;

  @Override
  public Integer call() {
    try (SparkSessions s = SparkSessions.open(state.master, "tierdex snapshot")) {
      StateDir dir = state.open(s.spark());
      Manifest m = new SnapshotRuns(s.spark(), dir, Tierdex.version())
          .snapshot(index, snapshot.with(state.keep));
      Manifest.SnapshotInfo i = m.snapshot();
      System.out.printf("snapshot %s: %s entries (%s files, %s symlinks, %s) of %s%n", m.run(),
          Quantities.count(i.entries()), Quantities.count(i.files()), Quantities.count(i.links()),
          Quantities.bytes(i.bytes()), i.source() == null ? i.index() : i.source());
      System.out.printf("  written to %s (%d buckets)%n",
          dir.output(m.runId(), "snapshot"), i.buckets());
    }
    return Tierdex.OK;
  }
}
