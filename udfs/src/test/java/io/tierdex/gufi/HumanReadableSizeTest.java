package io.tierdex.gufi;

import static io.tierdex.gufi.TestSpark.overLongs;
import static io.tierdex.gufi.TestSpark.rows;
import static io.tierdex.gufi.TestSpark.session;
import static io.tierdex.gufi.TestSpark.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class HumanReadableSizeTest {
  /** GUFI's unit test: 1 is 1.0, and 1.1 of every unit K to E. */
  @Test
  void gufiUnitTest() {
    List<String> queries = new ArrayList<>(List.of("human_readable_size(1)"));
    List<String> expected = new ArrayList<>(List.of("1.0"));
    long size = 1;
    for (char unit : "KMGTPE".toCharArray()) {
      size *= 1024;
      queries.add("human_readable_size(" + (size + size / 10) + ")");
      expected.add("1.1" + unit);
    }
    assertEquals(expected, rows("SELECT " + String.join(", ", queries)).get(0));
  }

  @Test
  void documentedValues() {
    assertEquals("1.5K", value("SELECT human_readable_size(1536)"));
    assertEquals("1023.0", value("SELECT human_readable_size(1023)"));
    assertEquals("0.0", value("SELECT human_readable_size(0)"));
  }

  /**
   * GUFI's algorithm run by awk, whose printf is C's: divide by 1024 while at least 1024,
   * then "%.1f". C rounds exact halves to even (1280 bytes is 1.2K), which is where a Java
   * formatter would differ.
   */
  @Test
  void matchesCPrintfRounding() throws Exception {
    List<Long> sizes = new ArrayList<>();
    for (long s = 0; s < 5000; s += 7) {
      sizes.add(s);
    }
    for (long base = 1024; base > 0 && base < (1L << 52); base *= 1024) {
      for (long k = 1; k < 1200; k += 13) {
        sizes.add(base * k / 20);
        sizes.add(base * k / 20 + 1);
      }
    }
    sizes.addAll(List.of(1280L, 1331L, 1332L, 1_048_575L, 1_073_689_395L, (1L << 53) - 1));
    String awk = "{ s = $1; u = 0; while (s >= 1024) { s /= 1024; u++ }"
        + " printf \"%.1f%s\\n\", s, substr(\" KMGTPE\", u + 1, u > 0 ? 1 : 0) }";
    Process p = new ProcessBuilder("awk", awk).start();
    p.getOutputStream().write(sizes.stream().map(String::valueOf).collect(Collectors.joining("\n", "", "\n"))
        .getBytes(StandardCharsets.US_ASCII));
    p.getOutputStream().close();
    List<String> expected = Arrays.asList(new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).split("\n"));
    assertEquals(0, p.waitFor());

    List<Object> actual = overLongs("human_readable_size(x)", sizes);
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i), actual.get(i), "size " + sizes.get(i));
    }
  }

  @Test
  void fractionsAndNegatives() {
    assertEquals(List.of("1.2", "1.5K", "-5.0", "-2048.0"),
        rows("SELECT human_readable_size(1.25D), human_readable_size(1535.9D), human_readable_size(-5),"
            + " human_readable_size(-2048)").get(0));
  }

  /** GUFI: '' and 'abc' are errors; NULL (a crash in GUFI) is NULL here, as are NaN and infinity. */
  @Test
  void nonNumbers() {
    assertThrows(Exception.class, () -> session().sql("SELECT human_readable_size('abc')").collect());
    assertThrows(Exception.class, () -> session().sql("SELECT human_readable_size('')").collect());
    assertNull(value("SELECT human_readable_size(NULL)"));
    assertEquals(Arrays.asList(null, null), rows("SELECT human_readable_size(double('NaN')), human_readable_size(double('Infinity'))").get(0));
  }
}
