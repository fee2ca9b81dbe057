package io.tierdex.gufi;

import static io.tierdex.gufi.TestSpark.rows;
import static io.tierdex.gufi.TestSpark.session;
import static io.tierdex.gufi.TestSpark.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * agecat and epochtoage. "Now" is the query's start, the same instant unix_timestamp()
 * returns in the same query, so ages relative to it are exact.
 */
class AgeTest {
  private static final long DAY = 86_400;

  /** GUFI's unit test: now minus one second past each limit. */
  @Test
  void agecatGufiUnitTest() {
    long[] agesAgo = {0, 1, 60 + 1, 3600 + 1, DAY + 1, 7 * DAY + 1, 30 * DAY + 1, 365 * DAY + 1, 3650 * DAY + 1};
    List<String> calls = new ArrayList<>();
    for (long age : agesAgo) {
      calls.add("agecat(unix_timestamp() - " + age + ")");
    }
    assertEquals(List.of("Zero", "Secs", "Mins", "Hrs", "Days", "Wks", "Mos", "Yrs", "Decs"),
        rows("SELECT " + String.join(", ", calls)).get(0));
  }

  @Test
  void agecatLimitsAreExclusive() {
    assertEquals(List.of("Secs", "Mins", "Mins", "Hrs", "Wks", "Mos"),
        rows("SELECT agecat(unix_timestamp() - 59), agecat(unix_timestamp() - 60), agecat(unix_timestamp() - 3599),"
            + " agecat(unix_timestamp() - 3600), agecat(unix_timestamp() - 7 * 86400),"
            + " agecat(unix_timestamp() - 30 * 86400)").get(0));
  }

  /** GUFI's unit test: now is 0 in every unit, including an unknown one. */
  @Test
  void epochtoageGufiUnitTest() {
    List<String> calls = new ArrayList<>();
    for (String unit : List.of("s", "m", "h", "d", "w", "M", "y", "D", "-")) {
      calls.add("epochtoage(unix_timestamp(), '" + unit + "')");
    }
    assertEquals(Collections.nCopies(9, 0L), rows("SELECT " + String.join(", ", calls)).get(0));
  }

  @Test
  void epochtoageUnits() {
    long age = 3 * 3650 * DAY + 5;
    List<Object> expected = List.of(age, age / 60, age / 3600, age / DAY, age / (7 * DAY), age / (30 * DAY),
        age / (365 * DAY), 3L, age / DAY, age / DAY);
    List<String> calls = new ArrayList<>();
    for (String unit : List.of("s", "m", "h", "d", "w", "M", "y", "D", "", "days")) {
      calls.add("epochtoage(unix_timestamp() - " + age + ", '" + unit + "')");
    }
    assertEquals(expected, rows("SELECT " + String.join(", ", calls)).get(0));
    assertEquals(2L, value("SELECT epochtoage(unix_timestamp() - 7200.9, 'h')"));
  }

  @Test
  void overAColumn() {
    List<List<Object>> result = rows("SELECT agecat(t), epochtoage(t, 'h') FROM"
        + " (SELECT unix_timestamp() - 7200 AS t UNION ALL SELECT 86400 AS t) ORDER BY t");
    assertEquals("Decs", result.get(0).get(0));
    assertEquals(List.of("Hrs", 2L), result.get(1));
  }

  /** GUFI fails the query on a time in the future; a report gets NULL for that row instead. */
  @Test
  void futureTimesAndNulls() {
    assertEquals(Arrays.asList(null, null, null, null, null),
        rows("SELECT agecat(unix_timestamp() + 1), epochtoage(unix_timestamp() + 1, 's'), agecat(NULL),"
            + " epochtoage(NULL, 'd'), epochtoage(0, NULL)").get(0));
    assertNull(value("SELECT agecat(CAST(NULL AS DOUBLE))"));
  }

  @Test
  void textIsNotATime() {
    assertThrows(Exception.class, () -> session().sql("SELECT agecat('abc')").collect());
    assertThrows(Exception.class, () -> session().sql("SELECT epochtoage('abc', 's')").collect());
  }
}
