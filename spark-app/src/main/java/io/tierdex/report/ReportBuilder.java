package io.tierdex.report;

import static org.apache.spark.sql.functions.asc_nulls_last;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.tierdex.migrate.Migration;
import io.tierdex.migrate.MigrationSummary;
import io.tierdex.migrate.MoveOutcome;
import io.tierdex.policy.Policies;
import io.tierdex.policy.PolicyException;
import io.tierdex.policy.PolicyParser;
import io.tierdex.snapshot.ChangeKind;
import io.tierdex.snapshot.Manifest;
import io.tierdex.snapshot.RunId;
import io.tierdex.snapshot.StateDir;
import io.tierdex.snapshot.StateException;
import io.tierdex.snapshot.TierState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Computes a run's {@link Report} from the state directory with Spark: the ledger (or the
 * plan), the snapshot and the tier state are aggregated by Spark, and only the aggregates
 * (a row per rule and outcome, per histogram bucket, per time bucket, the top ten) reach
 * the driver.
 */
public final class ReportBuilder {
  static final String PLANNED = "PLANNED";
  private static final String MIGRATED = MoveOutcome.MIGRATED.name();
  private static final int TOP = 10;
  /** The throughput chart's bucket width is the first of these giving at most 60 buckets. */
  private static final long[] TIME_WIDTHS = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900,
      1800, 3600, 7200, 10800, 21600, 43200, 86400};
  private static final int TIME_BUCKETS = 60;

  private final SparkSession spark;

  public ReportBuilder(SparkSession spark) {
    this.spark = spark;
  }

  /** The moves of a run: the ledger's rows, or the plan's as {@value #PLANNED}. */
  private record MoveRows(String basis, Dataset<Row> all, Dataset<Row> moved) {}

  public Report build(ReportInputs in) {
    StateDir state = in.state();
    Instant started = in.run().started();
    Instant finished = Instant.now();
    List<String> notes = new ArrayList<>();
    Manifest snapshot = in.snapshot() == null ? null : state.withSnapshot(in.snapshot());
    Manifest plan = in.plan() == null ? null : planRun(state, in.plan());
    Policies policies = plan == null ? null : policies(plan, notes);
    MoveRows rows = plan == null ? null : moveRows(state, in, plan);

    Report.Moves moves = null;
    Report.Throughput throughput = null;
    List<Report.UserBytes> users = null;
    List<Report.DirectoryBytes> dirs = null;
    Report.Distribution sizes = null;
    Report.Distribution ages = null;
    if (rows != null) {
      List<Row> tallies = rows.all().groupBy("rule", "outcome")
          .agg(count(lit(1)), coalesce(sum("size"), lit(0L)),
              min(when(moveEnded(), col("start_ms"))), max(when(moveEnded(), col("end_ms"))))
          .collectAsList(); // rules x outcomes
      Dataset<Row> remaining = snapshot == null || policies == null ? null
          : remaining(state, snapshot.runId(), policies, plan, rows, notes);
      String movedLabel = rows.basis().equals("ledger") ? MIGRATED : PLANNED;
      Histograms h = histograms(rows.moved(), remaining, started, movedLabel);
      Report.FastPools fast = remaining == null ? null : new Report.FastPools(
          fromPools(plan), h.remainingFiles(), h.remainingBytes());
      moves = moves(rows.basis(), plan, tallies, migrationSeconds(state, in), fast);
      sizes = h.sizes();
      ages = h.ages();
      users = topUsers(state, plan, rows.moved());
      dirs = topDirectories(rows.moved());
      throughput = throughput(rows, tallies);
    }
    Report.Changes changes = in.diff() == null ? null : changes(state.manifest(in.diff()));
    List<Report.HistoryEntry> history = new ArrayList<>();
    if (in.history() > 0) {
      for (Report r : new RunReports(state).before(in.run(), in.history() - 1, notes)) {
        history.add(historyEntry(r));
      }
      history.add(new Report.HistoryEntry(in.run().value(), started.toString(), in.mode(),
          moves == null ? 0 : moves.movedFiles(), moves == null ? 0 : moves.movedBytes(),
          moves == null ? 0 : moves.failedFiles(), seconds(started, finished)));
    }
    List<String> roots = snapshot == null ? List.of() : List.of(
        snapshot.snapshot().source() != null ? snapshot.snapshot().source()
            : snapshot.snapshot().index());
    Report.Inputs inputs = new Report.Inputs(id(in.snapshot()), id(in.diff()), id(in.plan()),
        plan == null ? null : plan.plan().policies());
    String summary = SummaryLine.of(in.run().value(), in.mode(), in.exitCode(), moves,
        changes, seconds(started, finished));
    return new Report(Report.FORMAT, in.run().value(), in.mode(), started.toString(),
        finished.toString(), in.committed(), in.exitCode(), roots, summary, in.phases(),
        inputs, changes, moves, sizes, ages, users, dirs, throughput, history,
        List.copyOf(notes));
  }

  private static Manifest planRun(StateDir state, RunId id) {
    Manifest m = state.manifest(id);
    if (m.plan() == null) {
      throw new StateException("run " + id + " holds no plan (it is a " + m.kind() + " run);"
          + " the report's plan run must be one that tierdex plan wrote");
    }
    return m;
  }

  /**
   * The policy file the plan was made with, for its pools; null (and a note) if it cannot
   * be read now. The plan manifest keeps its path and SHA-256, not its text.
   */
  private static Policies policies(Manifest plan, List<String> notes) {
    Path file = Path.of(plan.plan().policies());
    try {
      Policies p = PolicyParser.load(file);
      if (!plan.plan().policiesSha256().equals(sha256(file))) {
        notes.add("the policy file " + file + " changed since plan " + plan.run() + ": pools"
            + " are read from it as it is now");
      }
      return p;
    } catch (PolicyException | IOException e) {
      notes.add("what remains on the fast pools is not reported: " + e.getMessage());
      return null;
    }
  }

  private MoveRows moveRows(StateDir state, ReportInputs in, Manifest plan) {
    if (in.migrated()) {
      org.apache.hadoop.fs.Path ledger = state.output(in.plan(), "ledger");
      if (!exists(state, ledger)) {
        throw new StateException("plan " + in.plan() + " was migrated but has no ledger at "
            + ledger + "; rerun tierdex migrate --plan " + in.plan() + " to finish it");
      }
      Dataset<Row> all = spark.read().parquet(ledger.toString())
          .select("path", "rule", "outcome", "size", "mtime", "start_ms", "end_ms");
      return new MoveRows("ledger", all, all.filter(col("outcome").equalTo(MIGRATED)));
    }
    Dataset<Row> all = spark.read().parquet(state.output(plan.runId(), "plan").toString())
        .select(col("path"), col("rule"), lit(PLANNED).as("outcome"), col("size"),
            col("mtime"), lit(0L).as("start_ms"), lit(0L).as("end_ms"));
    return new MoveRows("planned", all, all);
  }

  /** A MIGRATED row with times (a file no task settled has none). */
  private static Column moveEnded() {
    return col("outcome").equalTo(MIGRATED).and(col("end_ms").gt(0));
  }

  /**
   * Regular files of the snapshot on a pool some rule of the plan moves from, as the
   * planner sees pools ({@link Policies#poolIdSql}), less the files tierdex moved before
   * and that are unchanged since (the planner's "migrated" skip, same tier-state match)
   * and less this run's MIGRATED files (the snapshot was taken before they moved).
   */
  private Dataset<Row> remaining(StateDir state, RunId snapshot, Policies p, Manifest plan,
      MoveRows rows, List<String> notes) {
    List<Integer> ids = new ArrayList<>();
    for (String name : fromPools(plan)) {
      Optional<Policies.Pool> pool = p.pools().stream().filter(x -> x.name().equals(name))
          .findFirst();
      if (pool.isPresent()) {
        ids.add(pool.get().id());
      } else {
        notes.add("pool '" + name + "' of plan " + plan.run() + " is not in " + p.file()
            + " any more; its files are not counted as remaining");
      }
    }
    Dataset<Row> files = spark.read().parquet(state.output(snapshot, "snapshot").toString())
        .filter(col("type").equalTo("f"))
        .filter(expr(p.poolIdSql()).isin(ids.toArray()))
        .select("path", "inode", "size", "mtime").as("f");
    Optional<Dataset<Row>> tier = new TierState(spark, state).current();
    if (tier.isPresent()) {
      Dataset<Row> t = tier.get().as("t");
      files = files.join(t, col("f.path").equalTo(col("t.path"))
          .and(col("f.inode").equalTo(col("t.inode"))).and(col("f.size").equalTo(col("t.size")))
          .and(col("f.mtime").equalTo(col("t.mtime"))), "left_anti").as("f");
    }
    if (rows.basis().equals("ledger")) {
      Dataset<Row> moved = rows.moved().select(col("path")).as("m");
      files = files.join(moved, col("f.path").equalTo(col("m.path")), "left_anti");
    }
    return files.select("size", "mtime");
  }

  private static List<String> fromPools(Manifest plan) {
    return plan.plan().rules().stream().map(Manifest.RulePlan::from).distinct().toList();
  }

  /** The size and the age histogram, whose buckets add up to the same totals. */
  private record Histograms(Report.Distribution sizes, Report.Distribution ages) {
    long remainingFiles() {
      return sizes.buckets().stream().mapToLong(Report.Bucket::remainingFiles).sum();
    }

    long remainingBytes() {
      return sizes.buckets().stream().mapToLong(Report.Bucket::remainingBytes).sum();
    }
  }

  /**
   * Files and bytes per size and per age bucket of the moved and the remaining files, in
   * one Spark job: the driver gets a row per (side, size bucket, age bucket) and adds them
   * up along each scale.
   */
  private static Histograms histograms(Dataset<Row> moved, Dataset<Row> remaining,
      Instant started, String movedLabel) {
    Dataset<Row> sides = moved.select(lit(true).as("moved"), col("size"), col("mtime"));
    if (remaining != null) {
      sides = sides.unionByName(remaining.select(lit(false).as("moved"), col("size"),
          col("mtime")));
    }
    Column size = coalesce(col("size"), lit(0L));
    Column age = lit(started.getEpochSecond()).minus(col("mtime"));
    BucketScale s = BucketScale.SIZE;
    BucketScale a = BucketScale.AGE;
    // [moved: 0, remaining: 1][bucket][files: 0, bytes: 1]
    long[][][] bySize = new long[2][s.buckets()][2];
    long[][][] byAge = new long[2][a.buckets()][2];
    for (Row c : sides.groupBy(col("moved"), s.index(size).as("s"), a.index(age).as("a"))
        .agg(count(lit(1)), sum(size)).collectAsList()) { // at most 2 x 9 x 8 rows
      int side = c.getBoolean(0) ? 0 : 1;
      bySize[side][c.getInt(1)][0] += c.getLong(3);
      bySize[side][c.getInt(1)][1] += c.getLong(4);
      byAge[side][c.getInt(2)][0] += c.getLong(3);
      byAge[side][c.getInt(2)][1] += c.getLong(4);
    }
    return new Histograms(distribution(s, movedLabel, bySize),
        distribution(a, movedLabel, byAge));
  }

  private static Report.Distribution distribution(BucketScale scale, String movedLabel,
      long[][][] cells) {
    List<Report.Bucket> buckets = new ArrayList<>();
    for (int i = 0; i < scale.buckets(); i++) {
      buckets.add(new Report.Bucket(scale.labels().get(i), scale.lower(i), scale.upper(i),
          cells[0][i][0], cells[0][i][1], cells[1][i][0], cells[1][i][1]));
    }
    return new Report.Distribution(scale.measure(), movedLabel, buckets);
  }

  private static Report.Moves moves(String basis, Manifest plan, List<Row> tallies,
      Double seconds, Report.FastPools fast) {
    Map<String, long[]> outcomes = new LinkedHashMap<>();
    if (basis.equals("ledger")) {
      for (MoveOutcome o : MoveOutcome.values()) {
        outcomes.put(o.name(), new long[2]);
      }
    } else {
      outcomes.put(PLANNED, new long[2]);
    }
    // Rules in the policy file's order, as the plan lists them; outcomes in ledger order.
    Map<String, Map<String, long[]>> rules = new LinkedHashMap<>();
    for (Manifest.RulePlan r : plan.plan().rules()) {
      rules.put(r.name(), new LinkedHashMap<>());
    }
    for (Row t : tallies) {
      long[] v = {t.getLong(2), t.getLong(3)};
      outcomes.computeIfAbsent(t.getString(1), o -> new long[2]);
      outcomes.get(t.getString(1))[0] += v[0];
      outcomes.get(t.getString(1))[1] += v[1];
      rules.computeIfAbsent(t.getString(0), r -> new LinkedHashMap<>()).put(t.getString(1), v);
    }
    List<Report.OutcomeTotals> byOutcome = new ArrayList<>();
    outcomes.forEach((o, v) -> byOutcome.add(new Report.OutcomeTotals(o, v[0], v[1])));
    List<Report.RuleTotals> byRule = new ArrayList<>();
    rules.forEach((rule, per) -> outcomes.keySet().forEach(o -> {
      long[] v = per.get(o);
      if (v != null) {
        byRule.add(new Report.RuleTotals(rule, o, v[0], v[1]));
      }
    }));
    long[] migrated = outcomes.getOrDefault(MIGRATED, new long[2]);
    long[] failed = outcomes.getOrDefault(MoveOutcome.FAILED.name(), new long[2]);
    return new Report.Moves(basis, byOutcome, byRule, migrated[0], migrated[1], failed[0],
        seconds, fast);
  }

  private static Double migrationSeconds(StateDir state, ReportInputs in) {
    if (!in.migrated()) {
      return null;
    }
    return state.readJson(in.plan(), Migration.SUMMARY, MigrationSummary.class)
        .map(MigrationSummary::seconds).orElse(null);
  }

  /** Owners by bytes moved; a file's uid is the plan's snapshot's. */
  private List<Report.UserBytes> topUsers(StateDir state, Manifest plan, Dataset<Row> moved) {
    Dataset<Row> owners = spark.read().parquet(state.output(
        new RunId(plan.plan().snapshot()), "snapshot").toString()).select("path", "uid");
    List<Report.UserBytes> out = new ArrayList<>();
    for (Row r : moved.select("path", "size").join(owners, moved.col("path")
            .equalTo(owners.col("path")), "left")
        .groupBy(owners.col("uid")).agg(count(lit(1)).as("files"),
            coalesce(sum("size"), lit(0L)).as("bytes"))
        .orderBy(desc("bytes"), asc_nulls_last("uid")).limit(TOP)
        .select(col("uid"), expr("uidtouser(uid)"), col("files"), col("bytes"))
        .collectAsList()) {
      Long uid = r.isNullAt(0) ? null : r.getLong(0);
      String name = r.getString(1);
      // uidtouser gives the number back when the name service has no name for it
      out.add(new Report.UserBytes(uid, name == null || name.equals(String.valueOf(uid))
          ? null : name, r.getLong(2), r.getLong(3)));
    }
    return out;
  }

  private static List<Report.DirectoryBytes> topDirectories(Dataset<Row> moved) {
    List<Report.DirectoryBytes> out = new ArrayList<>();
    for (Row r : moved.groupBy(regexp_replace(col("path"), "/[^/]*$", "").as("dir"))
        .agg(count(lit(1)).as("files"), coalesce(sum("size"), lit(0L)).as("bytes"))
        .orderBy(desc("bytes"), col("dir")).limit(TOP).collectAsList()) {
      out.add(new Report.DirectoryBytes(r.getString(0).isEmpty() ? "/" : r.getString(0),
          r.getLong(1), r.getLong(2)));
    }
    return out;
  }

  /**
   * MIGRATED files by the time their move ended, over the move stage's span (first start to
   * last end, from the ledger), in the narrowest round width giving at most
   * {@value #TIME_BUCKETS} buckets.
   */
  private static Report.Throughput throughput(MoveRows rows, List<Row> tallies) {
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    for (Row t : tallies) {
      if (!t.isNullAt(4)) {
        first = Math.min(first, t.getLong(4));
        last = Math.max(last, t.getLong(5));
      }
    }
    if (first == Long.MAX_VALUE) {
      return null;
    }
    long span = Math.max(1, last - first);
    long width = TIME_WIDTHS[TIME_WIDTHS.length - 1];
    for (long w : TIME_WIDTHS) {
      if ((span + w * 1000 - 1) / (w * 1000) <= TIME_BUCKETS) {
        width = w;
        break;
      }
    }
    long widthMs = width * 1000;
    int n = (int) (span / widthMs) + 1;
    long[][] cells = new long[n][2];
    for (Row r : rows.moved().filter(moveEnded())
        .groupBy(floor(col("end_ms").minus(first).divide(widthMs)).cast("int").as("i"))
        .agg(count(lit(1)), coalesce(sum("size"), lit(0L))).collectAsList()) {
      cells[r.getInt(0)][0] += r.getLong(1);
      cells[r.getInt(0)][1] += r.getLong(2);
    }
    List<Report.TimeBucket> buckets = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      buckets.add(new Report.TimeBucket(i * width, cells[i][0], cells[i][1]));
    }
    return new Report.Throughput(Instant.ofEpochMilli(first).toString(), width, buckets);
  }

  /** The diff's totals as its manifest keeps them (the diff computed them in Spark). */
  private static Report.Changes changes(Manifest diff) {
    if (diff.changes() == null) {
      throw new StateException("run " + diff.run() + " holds no changes (it is a "
          + diff.kind() + " run); the report's diff run must be one that tierdex diff wrote");
    }
    List<Report.KindTotals> kinds = new ArrayList<>();
    for (ChangeKind k : ChangeKind.values()) {
      if (k != ChangeKind.UNCHANGED) {
        Manifest.Totals t = diff.changes().kinds().getOrDefault(k.name(),
            new Manifest.Totals(0, 0));
        kinds.add(new Report.KindTotals(k.name(), t.entries(), t.bytes()));
      }
    }
    return new Report.Changes(diff.changes().old(), diff.changes().current(), kinds);
  }

  private static Report.HistoryEntry historyEntry(Report r) {
    Report.Moves m = r.moves();
    double seconds;
    try {
      seconds = seconds(Instant.parse(r.started()), Instant.parse(r.finished()));
    } catch (RuntimeException e) { // a hand-edited report: its figures still count
      seconds = 0;
    }
    return new Report.HistoryEntry(r.run(), r.started(), r.mode(),
        m == null ? 0 : m.movedFiles(), m == null ? 0 : m.movedBytes(),
        m == null ? 0 : m.failedFiles(), seconds);
  }

  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toMillis() / 1000.0;
  }

  private static String id(RunId id) {
    return id == null ? null : id.value();
  }

  private static boolean exists(StateDir state, org.apache.hadoop.fs.Path p) {
    try {
      return state.fileSystem().exists(p);
    } catch (IOException e) {
      throw new StateException("cannot read " + p + ": " + e.getMessage(), e);
    }
  }

  private static String sha256(Path file) throws IOException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
