package io.tierdex.snapshot;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.FileSourceScanExec;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import scala.jdk.javaapi.CollectionConverters;

/**
 * What changed between two snapshots. Both are bucketed by path with the same count (the
 * older one is re-bucketed first if not), so bucket i of one meets only bucket i of the
 * other: a merge per bucket pair over Parquet column batches, on whichever executors
 * run the tasks, with no shuffle of the snapshots and nothing collected to the driver.
 * Only the changed rows (a few percent) go further: renames are paired by inode across
 * buckets, and replaced paths are checked against the tier state.
 */
public final class SnapshotDiff {
  /** The changes table: the newer side's fields, then the older side's, {@code old_}-prefixed. */
  public static final StructType CHANGES = new StructType()
      .add("kind", DataTypes.StringType, false)
      .add("path", DataTypes.StringType, false)
      .add("dir", DataTypes.StringType, false)
      .add("changed", DataTypes.createArrayType(DataTypes.StringType, false))
      .add("type", DataTypes.StringType).add("inode", DataTypes.StringType)
      .add("size", DataTypes.LongType).add("mtime", DataTypes.LongType)
      .add("ctime", DataTypes.LongType).add("mode", DataTypes.LongType)
      .add("uid", DataTypes.LongType).add("gid", DataTypes.LongType)
      .add("old_path", DataTypes.StringType)
      .add("old_type", DataTypes.StringType).add("old_inode", DataTypes.StringType)
      .add("old_size", DataTypes.LongType).add("old_mtime", DataTypes.LongType)
      .add("old_ctime", DataTypes.LongType).add("old_mode", DataTypes.LongType)
      .add("old_uid", DataTypes.LongType).add("old_gid", DataTypes.LongType);

  private static final String AUTO_BUCKETED_SCAN =
      "spark.sql.sources.bucketing.autoBucketedScan.enabled";
  private static final String SHUFFLE_PARTITIONS = "spark.sql.shuffle.partitions";
  private static final String WHOLE_STAGE = "spark.sql.codegen.wholeStage";
  private static final AtomicLong VIEWS = new AtomicLong();
  private static final int TOP_DIRECTORIES = 10;

  /** One side of a diff: a written snapshot and what its manifest says of it. */
  public record Side(String label, String location, int buckets, long entries, long bytes) {}

  private final SparkSession spark;

  public SnapshotDiff(SparkSession spark) {
    this.spark = spark;
  }

  /**
   * Writes the changes from {@code old} to {@code current} as Parquet at {@code output}
   * and returns their summary. {@code scratch} holds a re-bucketed copy of {@code old}
   * when the bucket counts differ; the caller removes it.
   */
  public Manifest.ChangesInfo run(Side old, Side current, Optional<Dataset<Row>> tiering,
      String output, String scratch) {
    if (old.buckets() != current.buckets()) {
      String copy = scratch + "/old-rebucketed";
      SnapshotTable.write(spark, spark.read().parquet(old.location())
          .selectExpr(SnapshotTable.COMPARED.toArray(String[]::new)), current.buckets(), copy);
      old = new Side(old.label(), copy, current.buckets(), old.entries(), old.bytes());
    }
    List<String> tables = new ArrayList<>();
    List<String> views = new ArrayList<>();
    try {
      JavaRDD<ColumnarBatch> a = batches(old, tables);
      JavaRDD<ColumnarBatch> b = batches(current, tables);
      String oldWhere = "older snapshot " + old.label() + " (" + old.location() + ")";
      String newWhere = "newer snapshot " + current.label() + " (" + current.location() + ")";
      // A task per core, each merging its share of the bucket pairs in turn (a task per
      // bucket costs more to start than a small bucket takes to merge). The changed rows go
      // through one shuffle, renames being paired across buckets, into as many tasks again.
      // Small work from there on: compiling code for it costs more than it saves.
      int tasks = Math.min(old.buckets(), spark.sparkContext().defaultParallelism() * 2);
      JavaRDD<Row> merged = a.zipPartitions(b, (x, y) -> new BucketMerge(x, y, oldWhere,
          newWhere)).coalesce(tasks);
      String codegen = spark.conf().get(WHOLE_STAGE, "true");
      String shuffle = spark.conf().get(SHUFFLE_PARTITIONS, "200");
      spark.conf().set(WHOLE_STAGE, "false");
      spark.conf().set(SHUFFLE_PARTITIONS, String.valueOf(tasks));
      try {
        Dataset<Row> changes = RenamePairing.pair(spark.createDataFrame(merged, CHANGES));
        if (tiering.isPresent()) {
          changes = migrated(changes, tiering.get(), views);
        }
        changes.write().parquet(output);
        return summary(spark.read().parquet(output), current, old.label(), current.label());
      } finally {
        spark.conf().set(WHOLE_STAGE, codegen);
        spark.conf().set(SHUFFLE_PARTITIONS, shuffle);
      }
    } finally {
      views.forEach(v -> spark.catalog().dropTempView(v));
      tables.forEach(t -> spark.sql("DROP TABLE IF EXISTS " + t));
    }
  }

  /** A snapshot's rows as Parquet column batches, one partition per bucket, in bucket order. */
  private JavaRDD<ColumnarBatch> batches(Side side, List<String> tables) {
    String table = SnapshotTable.register(spark, side.location(), side.buckets());
    tables.add(table);
    // Spark drops bucketing when no join or aggregation needs it; here we are the join.
    // (Batch reads of Parquet also need whole-stage code generation on.)
    String before = spark.conf().get(AUTO_BUCKETED_SCAN, "true");
    String codegen = spark.conf().get(WHOLE_STAGE, "true");
    spark.conf().set(AUTO_BUCKETED_SCAN, "false");
    spark.conf().set(WHOLE_STAGE, "true");
    SparkPlan plan;
    try {
      plan = spark.table(table).selectExpr(SnapshotTable.COMPARED.toArray(String[]::new))
          .queryExecution().executedPlan();
    } finally {
      spark.conf().set(AUTO_BUCKETED_SCAN, before);
      spark.conf().set(WHOLE_STAGE, codegen);
    }
    FileSourceScanExec scan = scanOf(plan);
    if (scan == null || !scan.supportsColumnar()) {
      throw new IllegalStateException("Spark did not plan a columnar Parquet scan of "
          + side.location() + ": " + plan);
    }
    RDD<ColumnarBatch> rdd = scan.executeColumnar();
    if (rdd.getNumPartitions() != side.buckets()) {
      throw new IllegalStateException("Spark did not read " + side.location() + " bucket by"
          + " bucket (" + rdd.getNumPartitions() + " partitions for " + side.buckets()
          + " buckets); is spark.sql.sources.bucketing.enabled false?");
    }
    return rdd.toJavaRDD();
  }

  private static FileSourceScanExec scanOf(SparkPlan plan) {
    if (plan instanceof FileSourceScanExec scan) {
      return scan;
    }
    if (plan instanceof AdaptiveSparkPlanExec adaptive) {
      return scanOf(adaptive.executedPlan());
    }
    for (SparkPlan child : CollectionConverters.asJava(plan.children())) {
      FileSourceScanExec scan = scanOf(child);
      if (scan != null) {
        return scan;
      }
    }
    return null;
  }

  /**
   * Replaced paths checked against the tier state: the inode tierdex moved the file to,
   * untouched since, is MIGRATED; written in place since, MODIFIED (still the file we
   * moved, still on the slow pool); any other inode is a new file, REPLACED.
   */
  private Dataset<Row> migrated(Dataset<Row> changes, Dataset<Row> tiering,
      List<String> views) {
    String c = view(changes, views);
    String t = view(tiering, views);
    return spark.sql("SELECT CASE WHEN c.kind <> 'REPLACED' THEN c.kind"
        + " WHEN t.inode IS NULL OR t.inode <> c.inode THEN 'REPLACED'"
        + " WHEN t.size = c.size AND t.mtime = c.mtime THEN 'MIGRATED' ELSE 'MODIFIED' END"
        + " AS kind, " + String.join(", ", List.of(CHANGES.fieldNames()).stream().skip(1)
            .map(f -> "c." + f).toList())
        + " FROM " + c + " c LEFT JOIN " + t + " t ON c.kind = 'REPLACED' AND t.path = c.path");
  }

  private String view(Dataset<Row> df, List<String> views) {
    String name = "tierdex_diff_" + VIEWS.incrementAndGet();
    df.createOrReplaceTempView(name);
    views.add(name);
    return name;
  }

  /** Entries and bytes per kind (UNCHANGED from the newer side's totals), top directories. */
  private static Manifest.ChangesInfo summary(Dataset<Row> changes, Side current, String old,
      String now) {
    Map<ChangeKind, Manifest.Totals> found = new LinkedHashMap<>();
    for (Row row : changes.groupBy("kind").agg(count(lit(1)),
        coalesce(sum(coalesce(col("size"), col("old_size"))), lit(0L))).collectAsList()) {
      found.put(ChangeKind.valueOf(row.getString(0)),
          new Manifest.Totals(row.getLong(1), row.getLong(2)));
    }
    long entries = current.entries();
    long bytes = current.bytes();
    for (ChangeKind k : EnumSet.of(ChangeKind.ADDED, ChangeKind.MODIFIED, ChangeKind.RENAMED,
        ChangeKind.REPLACED, ChangeKind.MIGRATED)) {
      Manifest.Totals t = found.getOrDefault(k, new Manifest.Totals(0, 0));
      entries -= t.entries();
      bytes -= t.bytes();
    }
    Map<String, Manifest.Totals> kinds = new LinkedHashMap<>();
    for (ChangeKind k : ChangeKind.values()) {
      kinds.put(k.name(), k == ChangeKind.UNCHANGED ? new Manifest.Totals(entries, bytes)
          : found.getOrDefault(k, new Manifest.Totals(0, 0)));
    }
    List<Manifest.DirectoryChanges> top = new ArrayList<>();
    for (Row row : changes.groupBy("dir").agg(count(lit(1)).as("n"),
            coalesce(sum(coalesce(col("size"), col("old_size"))), lit(0L)).as("b"))
        .orderBy(desc("n"), col("dir")).limit(TOP_DIRECTORIES).collectAsList()) {
      top.add(new Manifest.DirectoryChanges(row.getString(0), row.getLong(1), row.getLong(2)));
    }
    return new Manifest.ChangesInfo(old, now, kinds, top);
  }
}
