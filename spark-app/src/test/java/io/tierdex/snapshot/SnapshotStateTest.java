package io.tierdex.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierdex.testing.SharedSpark;
import io.tierdex.testing.TierdexCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state directory's rules, on snapshots written directly: tier state, hard links,
 * interrupted and corrupt runs, retention, snapshots with other bucket counts.
 */
class SnapshotStateTest {
  static SparkSession spark;
  @TempDir Path tmp;

  @BeforeAll
  static void spark() {
    spark = SharedSpark.get();
  }

  /** A file row: path, inode, size, mtime; the rest fixed. */
  static Row file(String path, long inode, long size, long mtime) {
    return RowFactory.create(path, "f", String.valueOf(inode), size, mtime, mtime, 33188L,
        1000L, 1000L);
  }

  static RunId commit(StateDir state, int buckets, Row... rows) {
    RunId id = state.begin();
    String location = state.output(id, "snapshot").toString();
    SnapshotTable.write(spark, spark.createDataFrame(List.of(rows), SnapshotTable.COMPARED_SCHEMA), buckets, location);
    state.commit(new Manifest(Manifest.FORMAT, id.value(), "snapshot", Instant.now().toString(),
        Instant.now().toString(), "test",
        SnapshotTable.totals(spark, location, "/index", null, buckets), null, null, null));
    return id;
  }

  StateDir state() {
    return StateDir.open(tmp.resolve("state").toString(), new Configuration());
  }

  RunId diff(StateDir state) {
    Manifest m = new SnapshotRuns(spark, state, "test").diffRuns(null, null, 100);
    return m.runId();
  }

  @Test
  void tierStateTellsMigratedFromReplaced() {
    StateDir state = state();
    commit(state, 2, file("/m/moved", 1, 100, 10), file("/m/moved-then-written", 2, 100, 10),
        file("/m/replaced", 3, 100, 10), file("/m/superseded", 4, 100, 10));
    commit(state, 2, file("/m/moved", 11, 100, 10), file("/m/moved-then-written", 12, 150, 20),
        file("/m/replaced", 13, 100, 10), file("/m/superseded", 14, 100, 10));
    TierState tiers = new TierState(spark, state);
    StructType schema = TierState.SCHEMA;
    tiers.record(RunId.startingAt(Instant.parse("2026-01-01T00:00:00Z")), spark.createDataFrame(
        List.of(RowFactory.create("/m/moved", "11", 100L, 10L, "slow"),
            RowFactory.create("/m/moved-then-written", "12", 100L, 10L, "slow"),
            RowFactory.create("/m/superseded", "14", 100L, 10L, "slow")), schema));
    // A later move of the same path wins: its inode is no longer 14.
    tiers.record(RunId.startingAt(Instant.parse("2026-01-02T00:00:00Z")), spark.createDataFrame(
        List.of(RowFactory.create("/m/superseded", "40", 100L, 10L, "slow")), schema));
    assertEquals(List.of("MIGRATED /m/moved", "MODIFIED /m/moved-then-written [size, mtime, ctime]",
            "REPLACED /m/replaced", "REPLACED /m/superseded"),
        Changes.read(spark, state, diff(state)).lines("/m").stream()
            .map(l -> l.replaceFirst(" moved", " /m/moved").replaceFirst(" replaced",
                " /m/replaced").replaceFirst(" superseded", " /m/superseded")).toList());
  }

  @Test
  void hardLinksPairOnlyWhenUnambiguous() {
    StateDir state = state();
    commit(state, 3, file("/h/one-link", 5, 10, 1), file("/h/kept-link", 5, 10, 1),
        file("/h/twin-a", 7, 10, 1), file("/h/twin-b", 7, 10, 1));
    commit(state, 3, file("/h/kept-link", 5, 10, 1), file("/h/one-link-moved", 5, 10, 1),
        file("/h/twin-c", 7, 10, 1), file("/h/twin-d", 7, 10, 1));
    assertEquals(List.of("RENAMED one-link-moved <- one-link", "REMOVED twin-a",
            "REMOVED twin-b", "ADDED twin-c", "ADDED twin-d"),
        Changes.read(spark, state, diff(state)).lines("/h"));
  }

  @Test
  void snapshotsWithOtherBucketCountsStillDiff() {
    StateDir state = state();
    List<Row> old = new ArrayList<>();
    List<Row> now = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      old.add(file("/b/f" + i, i, i, 1));
      if (i % 10 != 0) {
        now.add(file("/b/f" + i, i, i % 7 == 0 ? i + 1 : i, 1));
      }
    }
    commit(state, 3, old.toArray(Row[]::new));
    commit(state, 8, now.toArray(Row[]::new));
    var kinds = state.manifest(diff(state)).changes().kinds();
    assertEquals(50, kinds.get("REMOVED").entries());
    assertEquals(64, kinds.get("MODIFIED").entries()); // i % 7 == 0 and i % 10 != 0
    assertEquals(450 - 64, kinds.get("UNCHANGED").entries());
  }

  @Test
  void anInterruptedRunIsIgnoredAndLaterRemoved() throws Exception {
    StateDir state = state();
    RunId first = commit(state, 2, file("/i/a", 1, 1, 1));
    RunId second = commit(state, 2, file("/i/a", 1, 2, 2));
    // Killed before its manifest: a snapshot on disk, no manifest. One from two days ago,
    // one that may still be running.
    RunId stale = RunId.startingAt(Instant.now().minus(Duration.ofDays(2)));
    RunId running = RunId.startingAt(Instant.now().plusSeconds(1));
    for (RunId id : List.of(stale, running)) {
      Path dir = tmp.resolve("state/runs").resolve(id.value());
      Files.createDirectories(dir.resolve("snapshot"));
      Files.copy(tmp.resolve("state/runs").resolve(second.value()).resolve("snapshot")
          .resolve(Files.list(tmp.resolve("state/runs").resolve(second.value())
              .resolve("snapshot")).filter(p -> p.toString().endsWith(".parquet"))
              .findFirst().orElseThrow().getFileName()), dir.resolve("snapshot/part.parquet"));
    }
    TierdexCli.Run runs = TierdexCli.run("runs", "--state", tmp.resolve("state"));
    assertEquals(0, runs.exit(), runs.describe());
    assertFalse(runs.out().contains(stale.value()) || runs.out().contains(running.value()),
        runs.describe());
    assertTrue(runs.out().contains(first.value()) && runs.out().contains(second.value()));
    TierdexCli.Run all = TierdexCli.run("runs", "--all", "--state", tmp.resolve("state"));
    assertTrue(all.out().lines().anyMatch(l -> l.contains(running.value())
        && l.contains("incomplete")), all.describe());

    Manifest m = new SnapshotRuns(spark, state, "test").diffRuns(null, null, 10);
    assertEquals(first.value(), m.changes().old());
    assertEquals(second.value(), m.changes().current());
    assertFalse(Files.exists(tmp.resolve("state/runs").resolve(stale.value())),
        "retention removes runs interrupted more than a day ago");
    assertTrue(Files.exists(tmp.resolve("state/runs").resolve(running.value())),
        "a run without a manifest that started recently may still be running");
  }

  @Test
  void aCorruptManifestIsNamed() throws Exception {
    StateDir state = state();
    commit(state, 2, file("/c/a", 1, 1, 1));
    RunId bad = commit(state, 2, file("/c/a", 1, 1, 1));
    Path manifest = tmp.resolve("state/runs").resolve(bad.value()).resolve("manifest.json");
    Files.writeString(manifest, "{\"format\": 1, \"run\": \"" + bad + "\", \"kind\": ");
    for (String command : List.of("runs", "diff")) {
      TierdexCli.Run r = TierdexCli.run(command, "--state", tmp.resolve("state"));
      assertEquals(1, r.exit(), r.describe());
      assertTrue(r.err().contains("corrupt run manifest") && r.err().contains(bad.value()
          + "/manifest.json") && r.err().contains("delete it to drop that run"), r.describe());
    }
  }

  @Test
  void aDiffNeedsTwoSnapshots() {
    StateDir state = state();
    commit(state, 2, file("/d/a", 1, 1, 1));
    TierdexCli.Run r = TierdexCli.run("diff", "--state", tmp.resolve("state"));
    assertEquals(1, r.exit(), r.describe());
    assertTrue(r.err().contains("has 1 committed snapshot; a diff needs two"), r.describe());
    TierdexCli.Run none = TierdexCli.run("diff");
    assertEquals(2, none.exit(), none.describe());
    assertTrue(none.err().contains("give --state DIR"), none.describe());
  }

  @Test
  void retentionKeepsTheNewestRunsAndTheNewestSnapshot() {
    StateDir state = state();
    List<RunId> snaps = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      snaps.add(commit(state, 2, file("/r/a", 1, i, i)));
    }
    RunId d1 = diff(state);
    RunId d2 = diff(state);
    List<RunId> removed = state.retain(2, Duration.ofDays(1));
    assertEquals(snaps.subList(0, 3), removed);
    assertEquals(List.of(snaps.get(3), d1, d2),
        state.committed().stream().map(Manifest::runId).toList());
    assertThrows(IllegalArgumentException.class, () -> state.retain(0, Duration.ofDays(1)));
  }
}
