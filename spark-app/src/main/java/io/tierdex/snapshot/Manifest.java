package io.tierdex.snapshot;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * {@code runs/<id>/manifest.json}, written last: a run without one did not commit. It
 * says what the run produced, so listing runs or choosing the snapshots to diff reads
 * a few small files, never the Parquet.
 *
 * @param kind {@code snapshot} (tierdex snapshot) or {@code diff} (tierdex diff)
 * @param snapshot the run's {@code snapshot/} output, or null
 * @param changes the run's {@code changes/} output, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Manifest(int format, String run, String kind, String started, String finished,
    String tierdex, SnapshotInfo snapshot, ChangesInfo changes) {
  public static final int FORMAT = 1;

  /**
   * A snapshot: where it came from, how it is laid out, what it holds.
   *
   * @param index the index it was read from
   * @param source the file-system directory the index describes (paths start with it)
   * @param buckets Parquet files by hash of {@code path}, each sorted by {@code path}
   */
  public record SnapshotInfo(String index, String source, int buckets, long entries,
      long files, long links, long bytes) {}

  /**
   * A change set between two snapshots.
   *
   * @param old the older side: a run id, or an index path
   * @param current the newer side
   * @param kinds entries and bytes per change kind, UNCHANGED included
   * @param topDirectories the directories with the most changed entries
   */
  public record ChangesInfo(String old, String current, Map<String, Totals> kinds,
      List<DirectoryChanges> topDirectories) {}

  public record Totals(long entries, long bytes) {}

  public record DirectoryChanges(String dir, long entries, long bytes) {}

  public RunId runId() {
    return new RunId(run);
  }
}
