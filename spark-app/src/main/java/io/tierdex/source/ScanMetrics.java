package io.tierdex.source;

import org.apache.spark.sql.connector.metric.CustomMetric;
import org.apache.spark.sql.connector.metric.CustomSumMetric;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;

/** The counters a gufi scan shows in Spark's SQL UI: db.db files read and skipped. */
final class ScanMetrics {
  static final String FILES = "dbFilesRead";
  static final String SKIPPED = "dbFilesSkipped";

  private ScanMetrics() {}

  static CustomMetric[] supported() {
    return new CustomMetric[] {new Files(), new Skipped()};
  }

  static CustomTaskMetric task(String name, long value) {
    return new CustomTaskMetric() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public long value() {
        return value;
      }
    };
  }

  /** Spark instantiates metric classes by name, so they need public no-arg constructors. */
  public static final class Files extends CustomSumMetric {
    @Override
    public String name() {
      return FILES;
    }

    @Override
    public String description() {
      return "db.db files read";
    }
  }

  /** Damaged, non-SQLite or table-less db.db files that were reported and skipped. */
  public static final class Skipped extends CustomSumMetric {
    @Override
    public String name() {
      return SKIPPED;
    }

    @Override
    public String description() {
      return "db.db files skipped (damaged)";
    }
  }
}
