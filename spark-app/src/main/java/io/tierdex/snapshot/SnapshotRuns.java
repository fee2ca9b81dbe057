package io.tierdex.snapshot;

import io.tierdex.source.IndexRoot;
import java.io.IOException;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The snapshot and diff runs over a state directory: each takes a run id, writes its
 * outputs under {@code runs/<id>/}, commits its manifest last, then applies retention.
 */
public final class SnapshotRuns {
  /**
   * Runs without a manifest younger than this may still be running; older ones were
   * interrupted, and are removed.
   */
  public static final Duration STALE = Duration.ofHours(24);

  private final SparkSession spark;
  private final StateDir state;
  private final String version;

  public SnapshotRuns(SparkSession spark, StateDir state, String version) {
    this.spark = spark;
    this.state = state;
    this.version = version;
  }

  /** What a snapshot or diff run asks for. */
  public record Options(String source, int buckets, boolean strict, int keep) {}

  /** {@code tierdex snapshot}: the index's entries into {@code runs/<id>/snapshot}. */
  public Manifest snapshot(String index, Options o) {
    String root = IndexRoot.check(Paths.get(index));
    RunId id = state.begin();
    String started = Instant.now().toString();
    Manifest.SnapshotInfo info = writeSnapshot(root, o,
        state.output(id, "snapshot").toString());
    Manifest m = new Manifest(Manifest.FORMAT, id.value(), "snapshot", started,
        Instant.now().toString(), version, info, null, null, null);
    state.commit(m);
    state.retain(o.keep(), STALE);
    return m;
  }

  /**
   * {@code tierdex diff}: the changes from snapshot run {@code old} to {@code current}
   * (null: the two newest snapshots) into a new run's {@code changes}.
   */
  public Manifest diffRuns(RunId old, RunId current, int keep) {
    Manifest newer;
    Manifest older;
    if (current == null && old == null) {
      List<Manifest> snaps = state.snapshots();
      if (snaps.size() < 2) {
        throw new StateException(state.root() + " has " + snaps.size() + " committed snapshot"
            + (snaps.size() == 1 ? "" : "s") + "; a diff needs two (run tierdex snapshot, or"
            + " give two index trees: tierdex diff OLD_INDEX NEW_INDEX)");
      }
      newer = snaps.get(0);
      older = snaps.get(1);
    } else {
      newer = current == null ? state.snapshots().get(0) : state.withSnapshot(current);
      older = old == null ? previousOf(newer) : state.withSnapshot(old);
    }
    RunId id = state.begin();
    String started = Instant.now().toString();
    Manifest.ChangesInfo changes = new SnapshotDiff(spark).run(side(older), side(newer),
        new TierState(spark, state).current(), state.output(id, "changes").toString(),
        state.output(id, "_scratch").toString());
    delete(state.output(id, "_scratch"));
    Manifest m = new Manifest(Manifest.FORMAT, id.value(), "diff", started,
        Instant.now().toString(), version, null, changes, null, null);
    state.commit(m);
    state.retain(keep, STALE);
    return m;
  }

  /**
   * {@code tierdex diff OLD_INDEX NEW_INDEX}: snapshots both index trees (the newer one
   * becomes this run's snapshot, so the next diff can start from it) and diffs them.
   */
  public Manifest diffIndexes(String oldIndex, String newIndex, Options o) {
    String oldRoot = IndexRoot.check(Paths.get(oldIndex));
    String newRoot = IndexRoot.check(Paths.get(newIndex));
    RunId id = state.begin();
    String started = Instant.now().toString();
    String scratch = state.output(id, "_scratch").toString();
    Manifest.SnapshotInfo before = writeSnapshot(oldRoot, o, scratch + "/old-snapshot");
    String snapshot = state.output(id, "snapshot").toString();
    Manifest.SnapshotInfo after = writeSnapshot(newRoot, o, snapshot);
    Manifest.ChangesInfo changes = new SnapshotDiff(spark).run(
        new SnapshotDiff.Side(oldRoot, scratch + "/old-snapshot", o.buckets(), before.entries(),
            before.bytes()),
        new SnapshotDiff.Side(newRoot, snapshot, o.buckets(), after.entries(), after.bytes()),
        new TierState(spark, state).current(), state.output(id, "changes").toString(), scratch);
    delete(state.output(id, "_scratch"));
    Manifest m = new Manifest(Manifest.FORMAT, id.value(), "diff", started,
        Instant.now().toString(), version, after, changes, null, null);
    state.commit(m);
    state.retain(o.keep(), STALE);
    return m;
  }

  private Manifest.SnapshotInfo writeSnapshot(String root, Options o, String location) {
    SnapshotTable.write(spark, SnapshotTable.fromIndex(spark, root, o.source(), o.strict()),
        o.buckets(), location);
    return SnapshotTable.totals(spark, location, root, o.source(), o.buckets());
  }

  private SnapshotDiff.Side side(Manifest m) {
    Manifest.SnapshotInfo s = m.snapshot();
    return new SnapshotDiff.Side(m.run(), state.output(m.runId(), "snapshot").toString(),
        s.buckets(), s.entries(), s.bytes());
  }

  private Manifest previousOf(Manifest newer) {
    return state.snapshots().stream().filter(m -> m.runId().compareTo(newer.runId()) < 0)
        .findFirst().orElseThrow(() -> new StateException("no committed snapshot before run "
            + newer.run() + " in " + state.root()));
  }

  private void delete(Path p) {
    try {
      state.fileSystem().delete(p, true);
    } catch (IOException e) {
      throw new StateException("cannot delete " + p + ": " + e.getMessage(), e);
    }
  }
}
