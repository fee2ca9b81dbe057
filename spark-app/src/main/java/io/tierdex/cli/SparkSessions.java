package io.tierdex.cli;

import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark session a command runs in: the one already running (tests, a notebook that
 * calls the command) or a new one it stops at the end. The master comes from
 * {@code --master}, else from spark-submit, else {@code local[*]}.
 */
final class SparkSessions implements AutoCloseable {
  private final SparkSession spark;
  private final boolean owned;

  private SparkSessions(SparkSession spark, boolean owned) {
    this.spark = spark;
    this.owned = owned;
  }

  static SparkSessions open(String master, String app) {
    if (SparkSession.getDefaultSession().isDefined()) {
      return new SparkSessions(SparkSession.getDefaultSession().get(), false);
    }
    SparkSession.Builder b = SparkSession.builder().appName(app)
        .config("spark.ui.showConsoleProgress", "false")
        // Bucketed snapshots are catalog tables for a moment; keep the catalog's empty
        // default database out of the working directory.
        .config("spark.sql.warehouse.dir", Path.of(System.getProperty("java.io.tmpdir"),
            "tierdex-spark-warehouse-" + System.getProperty("user.name")).toUri().toString());
    if (master != null) {
      b.master(master);
    } else if (System.getProperty("spark.master") == null) {
      b.master("local[*]");
    }
    return new SparkSessions(b.getOrCreate(), true);
  }

  SparkSession spark() {
    return spark;
  }

  @Override
  public void close() {
    if (owned) {
      spark.stop();
    }
  }
}
