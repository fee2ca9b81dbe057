package io.tierdex.testing;

import org.apache.spark.sql.SparkSession;

/**
 * One local SparkSession for every test class in the JVM: starting Spark costs seconds,
 * a second session in the same JVM is cheap but pointless.
 * Up to four attempts per task, as on a cluster, so retries are exercised.
 */
public final class SharedSpark {
  private static SparkSession spark;

  private SharedSpark() {}

  public static synchronized SparkSession get() {
    if (spark == null) {
      spark = SparkSession.builder().master("local[2,4]").appName("tierdex-tests")
          .config("spark.ui.enabled", "false")
          .config("spark.sql.shuffle.partitions", "2")
          .config("spark.driver.host", "127.0.0.1")
          .getOrCreate();
    }
    return spark;
  }
}
