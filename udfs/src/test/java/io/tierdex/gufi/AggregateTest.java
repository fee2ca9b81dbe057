package io.tierdex.gufi;

import static io.tierdex.gufi.TestSpark.rows;
import static io.tierdex.gufi.TestSpark.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** median, stdevs, stdevp and mode_count, with GUFI's unit-test data. */
class AggregateTest {
  private static final String NONE = "SELECT %s(v) FROM VALUES (1) AS t(v) WHERE v < 0";

  /** GUFI's unit test: none, one, two, an odd and an even number of values. */
  @Test
  void median() {
    assertNull(value(String.format(NONE, "median")));
    assertEquals(1.0, value("SELECT median(v) FROM VALUES (1) AS t(v)"));
    assertEquals(1.5, value("SELECT median(v) FROM VALUES (1), (2) AS t(v)"));
    assertEquals(3.0, value("SELECT median(v) FROM VALUES (1), (2), (3), (4), (5) AS t(v)"));
    assertEquals(3.5, value("SELECT median(v) FROM VALUES (6), (1), (5), (2), (4), (3) AS t(v)"));
  }

  /** GUFI truncates values to integers on the way in and sorts by an int difference; these are exact. */
  @Test
  void medianOfFractionsAndLargeSizes() {
    assertEquals(2.0, value("SELECT median(v) FROM VALUES (1.5D), (2.5D) AS t(v)"));
    assertEquals(3e9, value("SELECT median(v) FROM VALUES (0L), (3000000000L), (5000000000L) AS t(v)"));
  }

  /** GUFI's unit test: NULL below two values; five values 1..5 give sqrt(5/2). */
  @Test
  void stdevs() {
    assertNull(value(String.format(NONE, "stdevs")));
    assertNull(value("SELECT stdevs(v) FROM VALUES (1) AS t(v)"));
    double s = (Double) value("SELECT stdevs(v) FROM VALUES (1), (2), (3), (4), (5) AS t(v)");
    assertEquals(5.0, s * s * 2, 1e-12);
  }

  /** GUFI's unit test: NULL below two values (Spark's stddev_pop says 0 for one); 1..5 give sqrt(2). */
  @Test
  void stdevp() {
    assertNull(value(String.format(NONE, "stdevp")));
    assertNull(value("SELECT stdevp(v) FROM VALUES (1) AS t(v)"));
    double s = (Double) value("SELECT stdevp(v) FROM VALUES (1), (2), (3), (4), (5) AS t(v)");
    assertEquals(2.0, s * s, 1e-12);
  }

  /** Partial aggregates merged across partitions give the two-pass textbook answer. */
  @Test
  void stdevpAcrossPartitionsAndGroups() {
    List<List<Object>> result = rows("SELECT id % 3 AS g, stdevp(1e9 + id * id % 97), stdevs(1e9 + id * id % 97)"
        + " FROM range(0, 3000, 1, 7) GROUP BY g ORDER BY g");
    for (List<Object> row : result) {
      long g = (Long) row.get(0);
      double[] xs = java.util.stream.LongStream.range(0, 3000).filter(id -> id % 3 == g)
          .mapToDouble(id -> 1e9 + id * id % 97).toArray();
      double mean = Arrays.stream(xs).average().orElseThrow();
      double ss = Arrays.stream(xs).map(x -> (x - mean) * (x - mean)).sum();
      assertEquals(Math.sqrt(ss / xs.length), (Double) row.get(1), 1e-6, "stdevp group " + g);
      assertEquals(Math.sqrt(ss / (xs.length - 1)), (Double) row.get(2), 1e-6, "stdevs group " + g);
    }
  }

  @Test
  void standardDeviationsSkipNulls() {
    assertEquals(List.of(1.0, Math.sqrt(2.0)),
        rows("SELECT stdevp(v), stdevs(v) FROM VALUES (1), (NULL), (3), (NULL) AS t(v)").get(0));
    assertEquals(2.0, value("SELECT median(v) FROM VALUES (1), (NULL), (3) AS t(v)"));
  }

  @Test
  void stdevpDistinctAndOverAWindow() {
    assertEquals(0.5, value("SELECT stdevp(DISTINCT v) FROM VALUES (1), (1), (2) AS t(v)"));
    assertEquals(List.of(List.of(Math.sqrt(2.0 / 9)), List.of(Math.sqrt(2.0 / 9)), List.of(Math.sqrt(2.0 / 9))),
        rows("SELECT stdevp(v) OVER () FROM VALUES (1), (1), (2) AS t(v)"));
  }

  /** GUFI's unit test data: its CATEGORIES, first four (all different) and then all of them. */
  @Test
  void modeCount() {
    String firstFour = "('str'), ('3x'), ('string'), (NULL)";
    String all = firstFour + ", ('3x'), ('string'), ('3x'), ('str'), ('abcd'), ('abcd'), ('once')";
    assertNull(value("SELECT mode_count(c) FROM VALUES ('x') AS t(c) WHERE c IS NULL"));
    assertNull(value("SELECT mode_count(c) FROM VALUES " + firstFour + " AS t(c)"));
    assertEquals("2:3x:3;", value("SELECT mode_count(c) FROM VALUES " + all + " AS t(c)"));
  }

  @Test
  void modeCountOfNumbersBytesAndGroups() {
    assertEquals("4:1000:2;", value("SELECT mode_count(uid) FROM VALUES (1000), (0), (1000) AS t(uid)"));
    assertEquals("2:é:2;", value("SELECT mode_count(c) FROM VALUES ('é'), ('é'), ('e') AS t(c)"));
    assertEquals(List.of(Arrays.asList(0L, "1:0:4;"), Arrays.asList(1L, null)),
        rows("SELECT id % 2 AS g, mode_count(CASE WHEN id % 2 = 0 THEN id % 4 ELSE id END)"
            + " FROM range(0, 14, 1, 3) GROUP BY g ORDER BY g"));
  }
}
