package io.tierdex.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.metric.CustomMetric;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.types.StructType;

/** Lists the index once per query, packs the files into tasks and reads them. */
final class GufiScan implements Scan, Batch {
  private final GufiOptions options;
  private final ReadPlan plan;
  private final Filter[] pushed;
  private final String pushedAggregation;
  private final int allColumns;

  GufiScan(GufiOptions options, ReadPlan plan, Filter[] pushed, String pushedAggregation,
      int allColumns) {
    this.options = options;
    this.plan = plan;
    this.pushed = pushed;
    this.pushedAggregation = pushedAggregation;
    this.allColumns = allColumns;
  }

  @Override
  public StructType readSchema() {
    return plan.output();
  }

  /**
   * What explain() prints: the SQL each db.db runs is the proof of what was pushed (the
   * Java reader applies exactly that SELECT's columns and WHERE clause).
   */
  @Override
  public String description() {
    return "GufiScan " + options.table() + " root=" + options.root()
        + " levels=" + options.minLevel() + ".." + (options.maxLevel() == Integer.MAX_VALUE
            ? "" : options.maxLevel())
        + " columns=" + plan.select().size() + "/" + allColumns
        + " pushedFilters=" + Arrays.toString(pushed)
        + (pushedAggregation.isEmpty() ? "" : " pushedAggregation=" + pushedAggregation)
        + " reader=" + (plan.javaReader() ? "java" : "sqlite")
        + " sqlite=[" + plan.sql() + "]";
  }

  @Override
  public Batch toBatch() {
    return this;
  }

  @Override
  public InputPartition[] planInputPartitions() {
    int cores = SparkSession.active().sparkContext().defaultParallelism();
    IndexListing.Result listing;
    try {
      listing = IndexListing.list(options.root(), options.minLevel(), options.maxLevel(),
          Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (listing.files().isEmpty()) {
      throw new IllegalArgumentException("gufi: no db.db under " + options.root()
          + (listing.unreadable() > 0 ? " that this user may read" : "")
          + "; give the directory that tierdex index or gufi_dir2index wrote");
    }
    List<List<DbFile>> tasks = Packing.pack(listing.files(),
        Packing.tasks(listing.files().size(), cores));
    return tasks.stream().map(GufiPartition::new).toArray(InputPartition[]::new);
  }

  @Override
  public PartitionReaderFactory createReaderFactory() {
    return new GufiReaderFactory(plan);
  }

  @Override
  public CustomMetric[] supportedCustomMetrics() {
    return ScanMetrics.supported();
  }
}
