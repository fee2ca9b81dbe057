package io.tierdex.gufi;

import static io.tierdex.gufi.TestSpark.rows;
import static io.tierdex.gufi.TestSpark.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class RightPadTest {
  /** GUFI's unit test: numbers pad as text, and a longer value is returned whole. */
  @Test
  void gufiUnitTest() {
    assertEquals(List.of("1", "1 ", "1  ", "abcde"),
        rows("SELECT rpad(1, 1), rpad(1, 2), rpad(1, 3), rpad('abcde', 3)").get(0));
  }

  /** Spark's rpad(str, len, pad) still cuts and pads with the given string. */
  @Test
  void sparksThreeArgumentRpadIsUnchanged() {
    assertEquals(List.of("ab***", "abc", "ab   "),
        rows("SELECT rpad('ab', 5, '*'), rpad('abcde', 3, '*'), rpad('ab', 5, ' ')").get(0));
  }

  /** C's strlen: the width counts bytes, so a two-byte character takes two. */
  @Test
  void widthInBytes() {
    assertEquals(List.of("é ", 2, "  ", "x", "x"),
        rows("SELECT rpad('é', 3), length(rpad('é', 3)), rpad('', 2), rpad('x', 0), rpad('x', -4)").get(0));
  }

  @Test
  void nulls() {
    assertNull(value("SELECT rpad(NULL, 3)"));
    assertNull(value("SELECT rpad('x', NULL)"));
  }
}
