package io.tierdex.migrate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.tierdex.policy.Policies;
import io.tierdex.snapshot.Manifest;
import io.tierdex.snapshot.RunId;
import io.tierdex.snapshot.StateDir;
import io.tierdex.snapshot.StateException;
import io.tierdex.snapshot.TierState;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import scala.reflect.ClassTag$;

/**
 * Moves a committed plan's files: one Spark task per bin ({@link MoveTask}), then the ledger
 * from the bins' journals, the tier state for every MIGRATED file, the write-back into the
 * index, and {@code migration.json} last. Rerunning a plan whose migration did not finish
 * resumes it: the journals say what is done.
 */
public final class Migration {
  /** The accumulators of files and bytes settled, by name: progress lines read them. */
  public static final String FILES_SETTLED = "tierdex.progress.files";
  public static final String BYTES_SETTLED = "tierdex.progress.bytes";
  public static final String SUMMARY = "migration.json";

  /**
   * How to migrate.
   *
   * @param root files outside it are refused (default: the snapshot's source directory)
   * @param hosts preferred executor hosts, round robin over bins; empty for any
   * @param maxInFlight files being moved at once across the cluster
   * @param writeBack update the index the snapshot was read from
   */
  public record Options(MoverKind mover, String root, String stagingDir, boolean verify,
      boolean fsync, Checksum checksum, java.time.Duration minAge, String tagXattr,
      long bytesPerSecond, int threads, int maxInFlight, List<String> hosts, int batch,
      String beegfs, String beegfsCtl, boolean writeBack, int failAfter,
      boolean beegfsSessions) {}

  private final SparkSession spark;
  private final StateDir state;

  public Migration(SparkSession spark, StateDir state) {
    this.spark = spark;
    this.state = state;
  }

  /** The summary of {@code plan}'s finished migration, if it has one. */
  public Optional<MigrationSummary> finished(RunId plan) {
    return state.readJson(plan, SUMMARY, MigrationSummary.class);
  }

  /** The plan run to migrate: committed, and a plan. */
  public Manifest plan(RunId id) {
    Manifest m = state.manifest(id);
    if (m.plan() == null) {
      throw new StateException("run " + id + " holds no plan (it is a " + m.kind()
          + " run); tierdex runs lists the plan runs");
    }
    return m;
  }

  /** The snapshot the plan was made from, for its source directory and index. */
  public Manifest.SnapshotInfo snapshotOf(Manifest plan) {
    return state.withSnapshot(new RunId(plan.plan().snapshot())).snapshot();
  }

  /**
   * Moves the plan's files and returns the summary (also written as migration.json).
   * {@code stillHeld} throws if this command lost the state directory's lease; it is
   * called before the moves and before each write to the state directory.
   */
  public MigrationSummary run(Manifest plan, Policies policies, Options o, Runnable stillHeld) {
    RunId id = plan.runId();
    Instant started = Instant.now();
    Path journal = new Path(state.run(id), "journal");
    int slots = Math.max(1, spark.sparkContext().defaultParallelism());
    int threads = Math.max(1, Math.min(o.threads(), o.maxInFlight() / slots));
    MoveTask.Settings settings = new MoveTask.Settings(o.mover(),
        new CopyMover.Options(o.root(), o.stagingDir(), o.verify(), o.fsync(), o.checksum(),
            o.minAge(), o.tagXattr(), o.bytesPerSecond(),
            o.beegfsSessions() ? o.beegfs() : null),
        journal.toString(), threads, o.batch(), o.beegfs(), o.beegfsCtl(), o.failAfter());

    Dataset<Row> rows = spark.read().parquet(state.output(id, "plan").toString())
        .withColumn("from_pool_id", poolId(policies, "from_pool"))
        .withColumn("to_pool_id", poolId(policies, "to_pool"))
        .repartitionById(plan.plan().bins(), col("bin"))
        .sortWithinPartitions(col("size").desc(), col("path"));
    JavaRDD<Row> bins = rows.javaRDD();
    if (!o.hosts().isEmpty()) {
      bins = new PinnedRdd<>(bins.rdd(), o.hosts(), ClassTag$.MODULE$.apply(Row.class))
          .toJavaRDD();
    }
    if (o.mover() == MoverKind.COPY && spark.sparkContext().isLocal()) {
      preloadLibc();
    }
    spark.sparkContext().setJobGroup("tierdex-migrate", "tierdex migrate " + id, false);
    stillHeld.run();
    try {
      state.fileSystem().mkdirs(journal); // an empty plan writes no journal, yet has a ledger
    } catch (IOException e) {
      throw new StateException("cannot create " + journal + ": " + e.getMessage(), e);
    }
    long t0 = System.nanoTime();
    LongAccumulator files = spark.sparkContext().longAccumulator(FILES_SETTLED);
    LongAccumulator bytes = spark.sparkContext().longAccumulator(BYTES_SETTLED);
    List<BinSummary> done = bins.mapPartitions(new MoveTask(settings, files, bytes)).collect();
    double seconds = (System.nanoTime() - t0) / 1e9;

    stillHeld.run();
    Dataset<Row> ledger = writeLedger(id, journal);
    recordTierState(id, ledger);
    MigrationSummary.WriteBack wb = null;
    if (o.writeBack()) {
      Manifest.SnapshotInfo snap = snapshotOf(plan);
      IndexWriteBack.Result r = IndexWriteBack.writeBack(spark, ledger
          .filter(col("outcome").equalTo(MoveOutcome.MIGRATED.name()))
          .select(col("path"), col("new_inode"),
              // the rename set the file's ctime: the move's end, to the second
              col("end_ms").divide(1000).cast("long").as("ctime"),
              poolId(policies, "to_pool").as("pool_id"), col("to_pool").as("pool"),
              lit(id.value()).as("run"), col("end_ms").divide(1000).cast("long")
                  .as("moved_at")), snap.index(), snap.source());
      wb = new MigrationSummary.WriteBack(r.directories(), r.rows(), r.problems());
    }
    MigrationSummary s = summarize(id, started, o, ledger, seconds, wb,
        new TreeSet<>(done.stream().map(b -> b.host() + "/" + b.executor()).toList()));
    state.replaceJson(id, SUMMARY, s);
    return s;
  }

  /**
   * Binds libc for the movers while Spark plans the job: binding takes a tenth of a second
   * that a local run's tasks would otherwise wait for (executors elsewhere bind their own).
   */
  private static void preloadLibc() {
    Thread t = new Thread(() -> {
      try {
        Posix.get();
      } catch (Throwable e) {
        // the movers report it, with their files
      }
    }, "tierdex-libc");
    t.setDaemon(true);
    t.start();
  }

  private static Column poolId(Policies policies, String column) {
    Column c = null;
    for (Policies.Pool p : policies.pools()) {
      c = c == null ? when(col(column).equalTo(p.name()), p.id())
          : c.when(col(column).equalTo(p.name()), p.id());
    }
    return c == null ? lit(0) : c.otherwise(0);
  }

  /** The journals' outcomes as {@code runs/<id>/ledger}, one row per planned file. */
  private Dataset<Row> writeLedger(RunId id, Path journal) {
    Dataset<Row> settled = spark.read().schema(LedgerRow.JOURNAL_SCHEMA)
        .option("mode", "DROPMALFORMED").option("recursiveFileLookup", "true")
        .option("pathGlobFilter", "*.jsonl")
        .json(journal.toString())
        .filter(col("k").equalTo("done")).drop("k").dropDuplicates("path");
    Dataset<Row> plan = spark.read().parquet(state.output(id, "plan").toString());
    Dataset<Row> missing = plan.join(settled, plan.col("path").equalTo(settled.col("path")),
        "left_anti").select(col("path"), col("rule"), col("bin"), col("from_pool"),
        col("to_pool"), lit("FAILED").as("outcome"),
        lit("no task settled it; rerun tierdex migrate to finish the plan").as("reason"),
        lit(0L).as("bytes"), lit(null).cast("string").as("checksum"), col("inode"),
        lit(null).cast("string").as("new_inode"), col("size"), col("mtime"),
        lit(0L).as("start_ms"), lit(0L).as("end_ms"), lit(null).cast("string").as("host"),
        lit(null).cast("string").as("executor"), lit(0).as("attempt"));
    Dataset<Row> all = settled.unionByName(missing);
    Path out = state.output(id, "ledger");
    Path partial = state.output(id, "_ledger-partial");
    FileSystem fs = state.fileSystem();
    try {
      fs.delete(partial, true);
      all.withColumn("start", col("start_ms").divide(1000).cast("timestamp"))
          .withColumn("end", col("end_ms").divide(1000).cast("timestamp"))
          .write().parquet(partial.toString());
      fs.delete(out, true);
      if (!fs.rename(partial, out)) {
        throw new StateException("cannot rename " + partial + " to " + out);
      }
    } catch (IOException e) {
      throw new StateException("cannot write the ledger " + out + ": " + e.getMessage(), e);
    }
    return spark.read().parquet(out.toString());
  }

  private void recordTierState(RunId id, Dataset<Row> ledger) {
    Dataset<Row> moved = ledger.filter(col("outcome").equalTo(MoveOutcome.MIGRATED.name()))
        .select(col("path"), col("new_inode").as("inode"), col("size"), col("mtime"),
            col("to_pool").as("pool"));
    try {
      if (!state.fileSystem().exists(new Path(state.tiering(), "run=" + id))) {
        new TierState(spark, state).record(id, moved);
      }
    } catch (IOException e) {
      throw new StateException("cannot read " + state.tiering() + ": " + e.getMessage(), e);
    }
  }

  private MigrationSummary summarize(RunId id, Instant started, Options o, Dataset<Row> ledger,
      double seconds, MigrationSummary.WriteBack wb, TreeSet<String> executors) {
    Map<String, MigrationSummary.Totals> outcomes = new LinkedHashMap<>();
    for (MoveOutcome m : MoveOutcome.values()) {
      outcomes.put(m.name(), new MigrationSummary.Totals(0, 0));
    }
    Map<String, Map<String, MigrationSummary.Totals>> rules = new LinkedHashMap<>();
    List<Row> groups = ledger.groupBy("rule", "outcome")
        .agg(count(lit(1)).as("files"), sum("size").as("bytes"))
        .orderBy("rule", "outcome").collectAsList(); // rules x outcomes: small
    for (Row g : groups) {
      MigrationSummary.Totals t = new MigrationSummary.Totals(g.getLong(2),
          g.isNullAt(3) ? 0 : g.getLong(3));
      outcomes.merge(g.getString(1), t, (a, b) -> new MigrationSummary.Totals(
          a.files() + b.files(), a.bytes() + b.bytes()));
      rules.computeIfAbsent(g.getString(0), r -> new LinkedHashMap<>()).put(g.getString(1), t);
    }
    List<MigrationSummary.Failure> failures = new ArrayList<>();
    for (Row r : ledger.filter(col("outcome").equalTo("FAILED")).select("path", "reason")
        .limit(10).collectAsList()) {
      failures.add(new MigrationSummary.Failure(r.getString(0), r.getString(1)));
    }
    MigrationSummary.Totals migrated = outcomes.get(MoveOutcome.MIGRATED.name());
    long moved = migrated.bytes();
    return new MigrationSummary(id.value(), started.toString(), Instant.now().toString(),
        o.mover().name().toLowerCase().replace('_', '-'), outcomes, rules, seconds,
        seconds > 0 ? moved / seconds : 0, failures, migrated.files(), wb, List.copyOf(executors));
  }
}
