package io.tierdex.gufi;

import static io.tierdex.gufi.TestSpark.rows;
import static io.tierdex.gufi.TestSpark.session;
import static io.tierdex.gufi.TestSpark.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BlockSizeTest {
  /** GUFI's unit test: one below, at and one above each power, for every suffix form. */
  @Test
  void gufiUnitTest() {
    String letters = "KMGTPE";
    List<String> queries = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    long decimal = 1;
    long binary = 1;
    for (char letter : letters.toCharArray()) {
      decimal *= 1000;
      binary *= 1024;
      char[] blocks = {'1', '1', '2'};
      for (int j = 0; j < 3; j++) {
        queries.add("blocksize(" + (binary - 1 + j) + ", '" + letter + "')");
        expected.add("" + blocks[j] + letter);
        queries.add("blocksize(" + (decimal - 1 + j) + ", '" + letter + "B')");
        expected.add("" + blocks[j] + letter + "B");
        queries.add("blocksize(" + (binary - 1 + j) + ", '" + letter + "iB')");
        expected.add("" + blocks[j] + letter + "iB");
      }
    }
    assertEquals(expected, rows("SELECT " + String.join(", ", queries)).get(0));
  }

  /** The examples in GUFI's source comment (its "KiB -> 1K" comment aside: the code prints KiB). */
  @Test
  void gufiSourceExamples() {
    assertEquals(List.of("1K", "1", "2KB", "2", "1KiB", "1"),
        rows("SELECT blocksize(1024, 'K'), blocksize(1024, '1K'), blocksize(1024, 'KB'),"
            + " blocksize(1024, '1KB'), blocksize(1024, 'KiB'), blocksize(1024, '1KiB')").get(0));
  }

  @Test
  void countsAndEmptyUnits() {
    assertEquals(List.of("1024", "2", "3", "0K", "0", "8E", "9223372036854775807"),
        rows("SELECT blocksize(1024, ''), blocksize(1024, '512'), blocksize(1025, '512'), blocksize(0, 'K'),"
            + " blocksize(0, '4KiB'), blocksize(9223372036854775807, 'E'), blocksize(9223372036854775807, '')").get(0));
  }

  @Test
  void blocksOfAColumn() {
    assertEquals(List.of(List.of("0K"), List.of("1K"), List.of("1K"), List.of("2K")),
        rows("SELECT blocksize(size, 'K') FROM VALUES (0), (1), (1024), (1025) AS v(size) ORDER BY size"));
  }

  /** Units GUFI rejects fail the query, naming the unit. */
  @ParameterizedTest
  @ValueSource(strings = {"i", "iB", "ij", "AiB", "AjB", "Aij", "0KB", "1.2KiB", "KiBGiB", "k", "B", " K", "+1K", "0"})
  void unitsGufiRejects(String unit) {
    Exception e = assertThrows(Exception.class, () -> session().sql("SELECT blocksize(0, '" + unit + "')").collect());
    assertTrue(String.valueOf(e.getMessage()).contains("bad unit '" + unit + "'"), e::getMessage);
  }

  /** A bad unit that only shows up in the data fails the query when it is read. */
  @Test
  void badUnitInTheData() {
    Exception e = assertThrows(Exception.class,
        () -> session().sql("SELECT blocksize(1, u) FROM VALUES ('K'), ('X') AS v(u)").collect());
    assertTrue(String.valueOf(e.getMessage()).contains("bad unit 'X'"), e::getMessage);
  }

  /** GUFI: sizes that are not numbers are errors; Spark's (ANSI) cast rejects them. */
  @ParameterizedTest
  @ValueSource(strings = {"''", "'abc'"})
  void sizesThatAreNotNumbers(String size) {
    assertThrows(Exception.class, () -> session().sql("SELECT blocksize(" + size + ", 'K')").collect());
  }

  @Test
  void nullsAndNegativeSizes() {
    assertEquals(Arrays.asList(null, null, null), rows("SELECT blocksize(NULL, 'K'), blocksize(1, NULL), blocksize(-1, 'K')").get(0));
    assertNull(value("SELECT blocksize(CAST(NULL AS BIGINT), '')"));
  }
}
