package io.tierdex.gufi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The local SparkSession the tests share (a session costs seconds to start; one JVM runs
 * all test classes). It is built with no tierdex configuration: the functions come from
 * the service file, as for any user.
 */
final class TestSpark {
  private TestSpark() {}

  private static SparkSession session;

  static synchronized SparkSession session() {
    if (session == null || session.sparkContext().isStopped()) {
      session = SparkSession.builder()
          .master("local[2]")
          .appName("tierdex-udfs-test")
          .config("spark.ui.enabled", "false")
          .config("spark.sql.shuffle.partitions", "4")
          .getOrCreate();
    }
    return session;
  }

  /** The rows of a query, each as a list of values. */
  static List<List<Object>> rows(String sql) {
    return Arrays.stream((Row[]) session().sql(sql).collect()).map(TestSpark::values).toList();
  }

  private static List<Object> values(Row row) {
    Object[] values = new Object[row.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = row.get(i);
    }
    return Arrays.asList(values);
  }

  /** {@code expression} evaluated over a column {@code x} holding {@code xs}, in order. */
  static List<Object> overLongs(String expression, List<Long> xs) {
    Row[] rows = (Row[]) session().createDataset(xs, Encoders.LONG()).toDF("x").selectExpr(expression).collect();
    return Arrays.stream(rows).map(row -> row.get(0)).toList();
  }

  /** The only row of a query. */
  static List<Object> row(String sql) {
    List<List<Object>> rows = rows(sql);
    assertEquals(1, rows.size(), sql);
    return rows.get(0);
  }

  /** The only value of a one-row, one-column query. */
  static Object value(String sql) {
    List<Object> row = row(sql);
    assertEquals(1, row.size(), sql);
    return row.get(0);
  }
}
