package io.tierdex.snapshot;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.substring;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The snapshot layout: one row per file or symlink of the index ({@code pentries}, so
 * rolled-up indexes read whole), with its full path. Written as {@code buckets} Parquet
 * files by hash of {@code path} (Spark's bucketing, so any Spark session can register it
 * as a bucketed table), each sorted by {@code path}: two snapshots with the same bucket
 * count join bucket by bucket without a shuffle, and a path-prefix filter skips row
 * groups by their min/max statistics.
 */
public final class SnapshotTable {
  public static final int DEFAULT_BUCKETS = 64;

  /** The columns, in order; the index's own names and types. */
  public static final List<String> COLUMNS = List.of("path", "dir", "name", "type", "inode",
      "size", "blocks", "uid", "gid", "mode", "atime", "mtime", "ctime", "nlink", "linkname",
      "level", "ossint1", "ossint2", "ossint3", "ossint4", "osstext1", "osstext2");

  /** The columns the diff reads and compares, in the order it reads them. */
  static final StructType COMPARED_SCHEMA = new StructType()
      .add("path", DataTypes.StringType).add("type", DataTypes.StringType)
      .add("inode", DataTypes.StringType).add("size", DataTypes.LongType)
      .add("mtime", DataTypes.LongType).add("ctime", DataTypes.LongType)
      .add("mode", DataTypes.LongType).add("uid", DataTypes.LongType)
      .add("gid", DataTypes.LongType);
  static final List<String> COMPARED = List.of(COMPARED_SCHEMA.fieldNames());

  private static final AtomicLong TABLES = new AtomicLong();

  private SnapshotTable() {}

  /**
   * The index's entries as snapshot rows. {@code index} is the root as the gufi source
   * reports it in {@code path}; {@code source}, if given, replaces it, so paths are the
   * file system's ({@code /mnt/beegfs/projects/a/f}) rather than the index's.
   */
  public static Dataset<Row> fromIndex(SparkSession spark, String index, String source,
      boolean strict) {
    Dataset<Row> entries = spark.read().format("gufi").option("table", "pentries")
        .option("strict", strict).load(index);
    Column dir = source == null ? col("path")
        : concat(lit(source), substring(col("path"), index.length() + 1, Integer.MAX_VALUE));
    return entries.select(dir.as("dir"), col("*")).drop("path")
        .withColumn("path", concat(col("dir"), lit("/"), col("name")))
        .selectExpr(COLUMNS.toArray(String[]::new));
  }

  /** Writes {@code rows} in the snapshot layout at {@code location} (which must not exist). */
  public static void write(SparkSession spark, Dataset<Row> rows, int buckets, String location) {
    if (buckets < 1) {
      throw new IllegalArgumentException("--buckets must be at least 1, not " + buckets);
    }
    // Bucketed writes need a catalog table; an external one (path given) keeps its files
    // when the catalog entry is dropped. Repartitioning by the bucket hash first gives
    // exactly one sorted file per bucket.
    String table = "tierdex_snapshot_write_" + TABLES.incrementAndGet();
    try {
      rows.repartition(buckets, col("path")).write().format("parquet")
          .bucketBy(buckets, "path").sortBy("path").option("path", location)
          .saveAsTable(table);
    } finally {
      spark.sql("DROP TABLE IF EXISTS " + table);
    }
  }

  /**
   * Registers a snapshot as a bucketed table of the compared columns under a fresh name,
   * which the caller drops. Spark then reads it bucket by bucket.
   */
  static String register(SparkSession spark, String location, int buckets) {
    String table = "tierdex_snapshot_read_" + TABLES.incrementAndGet();
    spark.sql("CREATE TABLE " + table + " (" + COMPARED_SCHEMA.toDDL() + ") USING parquet"
        + " CLUSTERED BY"
        + " (path) SORTED BY (path) INTO " + buckets + " BUCKETS LOCATION '"
        + location.replace("'", "\\'") + "'");
    return table;
  }

  /** Entries, files, links and bytes of a written snapshot. */
  public static Manifest.SnapshotInfo totals(SparkSession spark, String location, String index,
      String source, int buckets) {
    Row r = spark.read().parquet(location).selectExpr("COUNT(*)",
        "COUNT_IF(type = 'f')", "COUNT_IF(type = 'l')", "COALESCE(SUM(size), 0)").first();
    return new Manifest.SnapshotInfo(index, source, buckets, r.getLong(0), r.getLong(1),
        r.getLong(2), r.getLong(3));
  }
}
