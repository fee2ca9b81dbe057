package io.tierdex.cli;

import io.tierdex.snapshot.SnapshotRuns;
import io.tierdex.snapshot.SnapshotTable;
import picocli.CommandLine.Option;

/** How an index is snapshotted: by tierdex snapshot, and by tierdex diff of two index trees. */
final class SnapshotOptions {
  @Option(names = "--source", paramLabel = "DIR",
      description = "The directory the index describes (e.g. /mnt/beegfs/projects): paths are"
          + " recorded under it. Default: under the index root, as GUFI's path() spells them.")
  String source;

  @Option(names = "--buckets", paramLabel = "N",
      description = "Parquet files, by hash of path (default: ${DEFAULT-VALUE}). Snapshots with"
          + " the same count diff without a shuffle.")
  int buckets = SnapshotTable.DEFAULT_BUCKETS;

  @Option(names = "--strict", description = "Fail on a damaged db.db instead of skipping it.")
  boolean strict;

  SnapshotRuns.Options with(int keep) {
    return new SnapshotRuns.Options(Sources.normalize(source), buckets, strict, keep);
  }
}
