package io.tierdex.policy;

import static org.apache.spark.sql.functions.col;

import io.tierdex.snapshot.Manifest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.util.CollectionAccumulator;

/**
 * Runs compiled policies over a snapshot. One pass classifies every file and sorts the
 * candidates by rule, then weight, into ranges of about {@value #ROWS_PER_PARTITION} rows;
 * the driver counts the ranges ({@link PartitionCounts}) and works out where each rule's
 * limits and thresholds cut ({@link RuleCuts}); a last pass over the same sorted ranges
 * ranks, cuts and deals the files into bins ({@link PlanPass}) as it writes the plan.
 * Nothing but counts and each rule's ten largest files reaches the driver, and no step
 * holds a whole rule in one task.
 */
public final class Planner {
  /** The plan table, one row per file to move. */
  public static final StructType PLAN = new StructType()
      .add("path", DataTypes.StringType, false).add("inode", DataTypes.StringType)
      .add("size", DataTypes.LongType).add("mtime", DataTypes.LongType)
      .add("ctime", DataTypes.LongType).add("rule", DataTypes.StringType, false)
      .add("from_pool", DataTypes.StringType, false).add("to_pool", DataTypes.StringType, false)
      .add("weight", DataTypes.DoubleType).add("rank", DataTypes.LongType, false)
      .add("bin", DataTypes.IntegerType, false);
  private static final int LARGEST = 10;
  /** Rows per sorted range: about 30 MB to sort in a task. */
  static final long ROWS_PER_PARTITION = 250_000;
  private static final AtomicLong VIEWS = new AtomicLong();
  private static final int SAMPLE_FILE_SHARE = 16;
  private static final int SAMPLE_PER_RANGE = 200;

  /** A file among a rule's largest selected ones. */
  public record Candidate(String path, long size) {}

  /** What a rule did, and its largest selected files. */
  public record RuleOutcome(Manifest.RulePlan totals, List<Candidate> largest) {}

  private final SparkSession spark;
  private final long rowsPerPartition;

  public Planner(SparkSession spark) {
    this(spark, ROWS_PER_PARTITION);
  }

  /** A planner sorting in ranges of about {@code rowsPerPartition} rows. */
  Planner(SparkSession spark, long rowsPerPartition) {
    this.spark = spark;
    this.rowsPerPartition = rowsPerPartition;
  }

  /**
   * Plans {@code c} over {@code entries} ({@link PolicyCompiler#entries}, about
   * {@code files} files), skipping files the tier state records as moved and unchanged
   * since; deals the selection into {@code bins} bins and writes it as Parquet to
   * {@code output}, or, if null, only reports it. Returns what each rule did, in file order.
   */
  public List<RuleOutcome> plan(CompiledPolicies c, Dataset<Row> entries,
      Optional<Dataset<Row>> tier, int bins, long files, String output) {
    if (bins < 1) {
      throw new IllegalArgumentException("--bins must be at least 1, not " + bins);
    }
    Policies p = c.policies();
    List<String> views = new ArrayList<>();
    try {
      String tierView = tier.map(t -> view(t, views)).orElse(null);
      Dataset<Row> verdicts = spark.sql(c.classify(view(entries, views), tierView));
      // Whole rounds of tasks: a last round of one task leaves the other cores idle.
      int cores = spark.sparkContext().defaultParallelism();
      int partitions = (int) Math.min(100_000, Math.max(1, (files / rowsPerPartition
          + cores - 1) / cores) * cores);
      Column[] order = {col("sort_key"), col("weight").desc(), col("size").desc(),
          col("path")};
      // One shuffle, read by every pass: counting needs no order, so it reads the ranges
      // as they arrive, and only the passes that rank sort them.
      RangeIds ids = sample(c, entries, tierView, verdicts, partitions, files, views);
      Dataset<Row> routed = verdicts.withColumn("range", ids.udf().apply(col("sort_key"),
          col("weight"), col("size"), col("path")));
      RDD<InternalRow> ranges = routed.repartitionById(partitions, col("range"))
          .queryExecution().toRdd();
      List<PartitionCounts> counts = new ArrayList<>(ranges.toJavaRDD()
          .mapPartitionsWithIndex(PartitionCounts.counter(p.rules().size()), false)
          .collect());
      // Spark's own way to make a DataFrame of rows it already holds in its binary form;
      // tierdex always runs a classic (not Connect) session.
      org.apache.spark.sql.classic.SparkSession classic =
          (org.apache.spark.sql.classic.SparkSession) spark;
      Dataset<Row> arrived = classic.internalCreateDataFrame(ranges, routed.schema(), false);
      JavaRDD<InternalRow> sorted = arrived.sortWithinPartitions(order).queryExecution()
          .toRdd().toJavaRDD();
      counts.sort(Comparator.comparingInt(PartitionCounts::partition));

      Map<Integer, String> notes = new HashMap<>();
      RuleCuts.Budget[] budgets = budgets(p, notes);
      String[] froms = p.rules().stream().map(Policies.Rule::from).toArray(String[]::new);
      RuleCuts.Result cuts = RuleCuts.cut(counts, budgets, froms, (rule, partition, left) ->
          sorted.mapPartitionsWithIndex(PlanPass.cut(rule, left), false)
              .collectPartitions(new int[] {partition})[0].get(0));

      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      Broadcast<List<RuleCuts.PartitionPlan>> plans = jsc.broadcast(cuts.partitions());
      CollectionAccumulator<PlanPass.Largest> largest = spark.sparkContext()
          .collectionAccumulator("tierdex plan: largest files");
      try {
        Dataset<Row> plan = classic.internalCreateDataFrame(sorted.mapPartitionsWithIndex(
            PlanPass.plan(plans, utf8(p, Policies.Rule::name), utf8(p, Policies.Rule::from),
                utf8(p, Policies.Rule::to), bins, LARGEST, largest), false).rdd(), PLAN,
            false);
        if (output == null) {
          plan.write().format("noop").mode("overwrite").save();
        } else {
          // Paths are all different: a dictionary for them is built only to be dropped.
          plan.write().option("parquet.enable.dictionary#path", "false").parquet(output);
        }
      } finally {
        plans.destroy();
      }
      return outcomes(p, counts, cuts, notes, largest.value());
    } finally {
      views.forEach(v -> spark.catalog().dropTempView(v));
    }
  }

  /**
   * The bounds of {@code partitions} ranges even in files, from the classification of a
   * sixteenth of the snapshot's files (each a random sample of the snapshot, which is
   * bucketed by path hash), at most {@value #SAMPLE_PER_RANGE} rows per range.
   */
  private RangeIds sample(CompiledPolicies c, Dataset<Row> entries, String tierView,
      Dataset<Row> verdicts, int partitions, long files, List<String> views) {
    String[] all = entries.inputFiles();
    Arrays.sort(all);
    Dataset<Row> source = verdicts;
    double share = 1;
    if (all.length > 0) {
      int step = Math.max(1, all.length / SAMPLE_FILE_SHARE);
      String[] some = java.util.stream.IntStream.range(0, all.length).filter(i -> i % step == 0)
          .mapToObj(i -> all[i]).toArray(String[]::new);
      share = (double) some.length / all.length;
      source = spark.sql(c.classify(view(PolicyCompiler.entries(spark.read().parquet(some)),
          views), tierView));
    }
    double fraction = Math.min(1.0, (double) SAMPLE_PER_RANGE * partitions
        / Math.max(1.0, files * share));
    return RangeIds.of(source.select("sort_key", "weight", "size", "path")
        .sample(false, fraction, 42).collectAsList(), partitions);
  }

  /**
   * Each rule's budget: its limits, and what its low threshold lets it free; null for a
   * rule whose pool is not above its high threshold (noted in {@code notes}).
   */
  private static RuleCuts.Budget[] budgets(Policies p, Map<Integer, String> notes) {
    Map<String, PoolUsage> usage = new HashMap<>();
    RuleCuts.Budget[] out = new RuleCuts.Budget[p.rules().size()];
    for (int i = 0; i < out.length; i++) {
      Policies.Rule r = p.rules().get(i);
      long freeable = Long.MAX_VALUE;
      if (r.high().isPresent() || r.low().isPresent()) {
        PoolUsage u = usage.computeIfAbsent(r.from(), f -> PoolUsage.of(p.file(), p.pool(f)));
        if (r.high().isPresent() && u.percent() <= r.high().get()) {
          notes.put(i, String.format("pool %s is %.1f%% full, not above high %.1f%%",
              r.from(), u.percent(), r.high().get()));
          continue;
        }
        if (r.low().isPresent()) {
          freeable = u.used() - (long) Math.floor(u.total() * r.low().get() / 100);
        }
      }
      out[i] = new RuleCuts.Budget(r.maxFiles().orElse(Long.MAX_VALUE),
          r.maxBytes().orElse(Long.MAX_VALUE), freeable);
    }
    return out;
  }

  private static List<RuleOutcome> outcomes(Policies p, List<PartitionCounts> counts,
      RuleCuts.Result cuts, Map<Integer, String> notes, List<PlanPass.Largest> reported) {
    Map<Integer, List<Candidate>> largest = new HashMap<>();
    reported.stream().sorted(PlanPass.LARGEST_FIRST).forEach(l -> {
      List<Candidate> top = largest.computeIfAbsent(l.rule(), x -> new ArrayList<>());
      if (top.size() < LARGEST) {
        top.add(new Candidate(l.path(), l.size()));
      }
    });
    List<RuleOutcome> out = new ArrayList<>();
    for (int i = 0; i < p.rules().size(); i++) {
      Policies.Rule r = p.rules().get(i);
      long[] files = new long[Verdict.values().length];
      long matchedBytes = 0;
      for (PartitionCounts c : counts) {
        for (Verdict v : Verdict.values()) {
          files[v.code()] += c.files(i, v);
          matchedBytes += v == Verdict.ON_TARGET ? 0 : c.bytes(i, v);
        }
      }
      long matched = files[Verdict.SELECTABLE.code()] + files[Verdict.EXCLUDED.code()]
          + files[Verdict.MIGRATED.code()] + files[Verdict.TOO_NEW.code()];
      String note = notes.get(i);
      if (note == null && matched == 0) {
        note = "no match, skipped";
      } else if (note == null && files[Verdict.SELECTABLE.code()] == 0) {
        note = "nothing eligible after excludes, earlier moves and min_age";
      } else if (note == null && cuts.files()[i] == 0) {
        note = "its limits and thresholds leave nothing to select";
      }
      out.add(new RuleOutcome(new Manifest.RulePlan(r.name(), r.from(), r.to(), matched,
          matchedBytes, files[Verdict.EXCLUDED.code()], files[Verdict.MIGRATED.code()],
          files[Verdict.TOO_NEW.code()], files[Verdict.ON_TARGET.code()], cuts.files()[i],
          cuts.bytes()[i], note), largest.getOrDefault(i, List.of())));
    }
    return out;
  }

  private static UTF8String[] utf8(Policies p, Function<Policies.Rule, String> field) {
    return p.rules().stream().map(r -> UTF8String.fromString(field.apply(r)))
        .toArray(UTF8String[]::new);
  }

  private String view(Dataset<Row> df, List<String> views) {
    String name = "tierdex_plan_" + VIEWS.incrementAndGet();
    df.createOrReplaceTempView(name);
    views.add(name);
    return name;
  }
}
