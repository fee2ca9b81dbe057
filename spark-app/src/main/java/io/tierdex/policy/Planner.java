package io.tierdex.policy;

import io.tierdex.snapshot.Manifest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Runs compiled policies over a snapshot: one pass classifies every file, then each rule's
 * eligible files are ranked by weight, cut at the rule's limits and thresholds, and dealt
 * into bins for the movers. Everything stays in Spark; the driver sees per-rule totals and
 * the ten largest files of each rule.
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
  private static final AtomicLong VIEWS = new AtomicLong();

  /** A file among a rule's largest selected ones. */
  public record Candidate(String path, long size) {}

  /** What a rule did, and its largest selected files. */
  public record RuleOutcome(Manifest.RulePlan totals, List<Candidate> largest) {}

  /** The plan (cached; {@link #close} it) and what each rule did, in file order. */
  public record Result(Dataset<Row> plan, List<RuleOutcome> rules) implements AutoCloseable {
    @Override
    public void close() {
      plan.unpersist(false);
    }
  }

  private final SparkSession spark;

  public Planner(SparkSession spark) {
    this.spark = spark;
  }

  /**
   * Plans {@code c} over {@code entries} ({@link PolicyCompiler#entries}), skipping files
   * the tier state records as moved and unchanged since; deals the selection into
   * {@code bins} bins.
   */
  public Result plan(CompiledPolicies c, Dataset<Row> entries, Optional<Dataset<Row>> tier,
      int bins) {
    if (bins < 1) {
      throw new IllegalArgumentException("--bins must be at least 1, not " + bins);
    }
    Policies p = c.policies();
    List<String> views = new ArrayList<>();
    Dataset<Row> classified = spark.sql(c.classify(view(entries, views),
        tier.map(t -> view(t, views)).orElse(null))).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      String k = view(classified, views);
      Map<Integer, long[]> counts = counts(k, p);
      Map<Integer, String> notes = new HashMap<>();
      Map<String, PoolUsage> usage = new HashMap<>();
      List<Integer> active = new ArrayList<>();
      StringBuilder maxFiles = new StringBuilder("CASE rule_index");
      StringBuilder maxBytes = new StringBuilder("CASE rule_index");
      StringBuilder freeable = new StringBuilder("CASE rule_index");
      StringBuilder fromId = new StringBuilder("CASE rule_index");
      boolean lows = false;
      for (int i = 0; i < p.rules().size(); i++) {
        Policies.Rule r = p.rules().get(i);
        fromId.append(" WHEN ").append(i).append(" THEN ").append(p.pool(r.from()).id());
        if (r.maxFiles().isPresent()) {
          maxFiles.append(" WHEN ").append(i).append(" THEN ").append(r.maxFiles().get());
        }
        if (r.maxBytes().isPresent()) {
          maxBytes.append(" WHEN ").append(i).append(" THEN ").append(r.maxBytes().get());
        }
        if (r.high().isPresent() || r.low().isPresent()) {
          PoolUsage u = usage.computeIfAbsent(r.from(), f -> PoolUsage.of(p.file(),
              p.pool(f)));
          if (r.high().isPresent() && u.percent() <= r.high().get()) {
            notes.put(i, String.format("pool %s is %.1f%% full, not above high %.1f%%",
                r.from(), u.percent(), r.high().get()));
            continue;
          }
          if (r.low().isPresent()) {
            lows = true;
            long free = u.used() - (long) Math.floor(u.total() * r.low().get() / 100);
            freeable.append(" WHEN ").append(i).append(" THEN ").append(free);
          }
        }
        active.add(i);
      }
      String byWeight = "PARTITION BY rule_index ORDER BY weight DESC, size DESC, path";
      String limited = "SELECT *, " + fromId + " END AS from_id FROM (SELECT *,"
          + " ROW_NUMBER() OVER (" + byWeight + ") AS rank, SUM(size) OVER (" + byWeight
          + " ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS rule_bytes FROM " + k
          + " WHERE rule_index IN ("
          + (active.isEmpty() ? "-1" : String.join(", ", active.stream().map(String::valueOf)
              .toList()))
          + ") AND excluded_by IS NULL AND NOT migrated AND NOT too_new)"
          + " WHERE rank <= " + orUnlimited(maxFiles) + " AND rule_bytes <= "
          + orUnlimited(maxBytes);
      // Low thresholds share the pool: the rules moving from it free space in file order.
      String selected = !lows ? limited : "SELECT * FROM (SELECT *, SUM(size) OVER (PARTITION"
          + " BY from_id ORDER BY rule_index, rank ROWS BETWEEN UNBOUNDED PRECEDING AND"
          + " CURRENT ROW) AS pool_bytes FROM (" + limited + ")) WHERE pool_bytes - size < "
          + orUnlimited(freeable);
      StringBuilder names = new StringBuilder("CASE rule_index");
      StringBuilder froms = new StringBuilder("CASE rule_index");
      StringBuilder tos = new StringBuilder("CASE rule_index");
      for (int i = 0; i < p.rules().size(); i++) {
        Policies.Rule r = p.rules().get(i);
        names.append(" WHEN ").append(i).append(" THEN '").append(r.name().replace("'", "''"))
            .append("'");
        froms.append(" WHEN ").append(i).append(" THEN '").append(r.from()).append("'");
        tos.append(" WHEN ").append(i).append(" THEN '").append(r.to()).append("'");
      }
      Dataset<Row> chosen = spark.sql("SELECT path, inode, size, mtime, ctime, " + names
          + " END AS rule, " + froms + " END AS from_pool, " + tos + " END AS to_pool,"
          + " weight, CAST(rank AS BIGINT) AS rank FROM (" + selected + ")");
      Dataset<Row> plan = spark.createDataFrame(binned(chosen, bins), PLAN)
          .persist(StorageLevel.MEMORY_AND_DISK());
      return new Result(plan, outcomes(p, counts, notes, plan, views));
    } finally {
      classified.unpersist(false);
      views.forEach(v -> spark.catalog().dropTempView(v));
    }
  }

  /** A per-rule CASE, each rule without a value unlimited. */
  private static String orUnlimited(StringBuilder perRule) {
    return perRule.indexOf(" WHEN ") < 0 ? String.valueOf(Long.MAX_VALUE)
        : perRule + " ELSE " + Long.MAX_VALUE + " END";
  }

  /**
   * Deals the files, largest first, into bins in a snake order (0..n-1, then n-1..0): each
   * round gives every bin one file of about the same size, so bins end up even in files
   * and close in bytes.
   */
  private static JavaRDD<Row> binned(Dataset<Row> chosen, int bins) {
    return chosen.orderBy(chosen.col("size").desc(), chosen.col("path")).javaRDD()
        .zipWithIndex().map(t -> {
          long round = t._2() / bins;
          int at = (int) (t._2() % bins);
          int bin = round % 2 == 0 ? at : bins - 1 - at;
          Row r = t._1();
          return RowFactory.create(r.get(0), r.get(1), r.get(2), r.get(3), r.get(4),
              r.get(5), r.get(6), r.get(7), r.get(8), r.get(9), bin);
        });
  }

  /** Per rule: matched, matched bytes, excluded, migrated, too new, on target. */
  private Map<Integer, long[]> counts(String k, Policies p) {
    Map<Integer, long[]> out = new HashMap<>();
    for (Row r : spark.sql("SELECT rule_index, COUNT(*), COALESCE(SUM(size), 0),"
        + " COUNT_IF(excluded_by IS NOT NULL), COUNT_IF(excluded_by IS NULL AND migrated),"
        + " COUNT_IF(excluded_by IS NULL AND NOT migrated AND too_new) FROM " + k
        + " WHERE rule_index IS NOT NULL GROUP BY rule_index").collectAsList()) {
      out.put(r.getInt(0), new long[] {r.getLong(1), r.getLong(2), r.getLong(3),
          r.getLong(4), r.getLong(5), 0});
    }
    StringBuilder target = new StringBuilder("CASE condition_index");
    for (int i = 0; i < p.rules().size(); i++) {
      target.append(" WHEN ").append(i).append(" THEN ")
          .append(p.pool(p.rules().get(i).to()).id());
    }
    for (Row r : spark.sql("SELECT condition_index, COUNT(*) FROM " + k + " WHERE rule_index"
        + " IS NULL AND pool_id = " + target + " END GROUP BY condition_index")
        .collectAsList()) {
      out.computeIfAbsent(r.getInt(0), x -> new long[6])[5] = r.getLong(1);
    }
    return out;
  }

  private List<RuleOutcome> outcomes(Policies p, Map<Integer, long[]> counts,
      Map<Integer, String> notes, Dataset<Row> plan, List<String> views) {
    String v = view(plan, views);
    Map<String, long[]> selected = new HashMap<>();
    for (Row r : spark.sql("SELECT rule, COUNT(*), SUM(size) FROM " + v + " GROUP BY rule")
        .collectAsList()) {
      selected.put(r.getString(0), new long[] {r.getLong(1), r.getLong(2)});
    }
    Map<String, List<Candidate>> largest = new HashMap<>();
    for (Row r : spark.sql("SELECT rule, path, size FROM (SELECT rule, path, size,"
        + " ROW_NUMBER() OVER (PARTITION BY rule ORDER BY size DESC, path) AS n FROM " + v
        + ") WHERE n <= " + LARGEST + " ORDER BY rule, n").collectAsList()) {
      largest.computeIfAbsent(r.getString(0), x -> new ArrayList<>())
          .add(new Candidate(r.getString(1), r.getLong(2)));
    }
    List<RuleOutcome> out = new ArrayList<>();
    for (int i = 0; i < p.rules().size(); i++) {
      Policies.Rule r = p.rules().get(i);
      long[] n = counts.getOrDefault(i, new long[6]);
      long[] s = selected.getOrDefault(r.name(), new long[2]);
      String note = notes.get(i);
      if (note == null && n[0] == 0) {
        note = "no match, skipped";
      } else if (note == null && s[0] == 0) {
        note = "nothing eligible after excludes, earlier moves and min_age";
      }
      out.add(new RuleOutcome(new Manifest.RulePlan(r.name(), r.from(), r.to(), n[0], n[1],
          n[2], n[3], n[4], n[5], s[0], s[1], note), largest.getOrDefault(r.name(),
          List.of())));
    }
    return out;
  }

  private String view(Dataset<Row> df, List<String> views) {
    String name = "tierdex_plan_" + VIEWS.incrementAndGet();
    df.createOrReplaceTempView(name);
    views.add(name);
    return name;
  }
}
