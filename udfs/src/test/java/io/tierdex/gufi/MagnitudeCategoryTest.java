package io.tierdex.gufi;

import static io.tierdex.gufi.TestSpark.rows;
import static io.tierdex.gufi.TestSpark.session;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** intcat and bytecat. */
class MagnitudeCategoryTest {
  /** GUFI's unit test: zero, then one more than each power of 1000. */
  @Test
  void intcatGufiUnitTest() {
    assertEquals(List.of("Zero", "O", "K", "M", "B", "T", "q", "Q"),
        rows("SELECT intcat(0), intcat(pow(1000, 0) + 1), intcat(pow(1000, 1) + 1), intcat(pow(1000, 2) + 1),"
            + " intcat(pow(1000, 3) + 1), intcat(pow(1000, 4) + 1), intcat(pow(1000, 5) + 1),"
            + " intcat(pow(1000, 6) + 1)").get(0));
  }

  /** GUFI's unit test: zero, one, then one more than each power of 1024. */
  @Test
  void bytecatGufiUnitTest() {
    assertEquals(List.of("Zero", "B", "K", "M", "G", "T", "P", "E"),
        rows("SELECT bytecat(0), bytecat(1), bytecat(1024 + 1), bytecat(1048576 + 1), bytecat(1073741824 + 1),"
            + " bytecat(1099511627776 + 1), bytecat(1125899906842624 + 1), bytecat(1152921504606846976 + 1)").get(0));
  }

  /** Each bucket's upper limit is exclusive. */
  @Test
  void limits() {
    assertEquals(List.of("O", "O", "K", "K", "M", "B", "B", "K", "M"),
        rows("SELECT intcat(0.5), intcat(999), intcat(1000), intcat(999999), intcat(1000000),"
            + " bytecat(1023), bytecat(0.5), bytecat(1024), bytecat(1048576)").get(0));
  }

  @Test
  void groupBySizeCategory() {
    assertEquals(List.of(List.of("B", 2L), List.of("K", 1L), List.of("Zero", 1L)),
        rows("SELECT bytecat(size) c, count(*) FROM VALUES (0), (1), (1023), (1024) AS v(size) GROUP BY c ORDER BY c"));
  }

  /** GUFI: negative numbers are errors (here NULL), text is an error (here Spark's cast error). */
  @Test
  void negativesNullsAndText() {
    assertEquals(Arrays.asList(null, null, null, null),
        rows("SELECT intcat(-1), bytecat(-1), intcat(NULL), bytecat(NULL)").get(0));
    assertThrows(Exception.class, () -> session().sql("SELECT intcat('abc')").collect());
    assertThrows(Exception.class, () -> session().sql("SELECT bytecat('abc')").collect());
  }
}
