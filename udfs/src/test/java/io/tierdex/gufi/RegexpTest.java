package io.tierdex.gufi;

import static io.tierdex.gufi.TestSpark.rows;
import static io.tierdex.gufi.TestSpark.session;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code x REGEXP pattern}: Spark parses it as RLIKE, a Java regex search anywhere in the
 * string, as GUFI's PCRE REGEXP searches (unanchored, case-sensitive, NULL-safe).
 */
class RegexpTest {
  @Test
  void isSparksRlike() {
    String plan = session().sql("SELECT 'abc' REGEXP 'b'").queryExecution().analyzed().toString();
    assertTrue(plan.contains("RLIKE"), plan);
  }

  @Test
  void searchesAnywhereCaseSensitively() {
    assertEquals(List.of(true, false, true, false, true, true),
        rows("SELECT 'abc' REGEXP 'b', 'abc' REGEXP '^b', 'abc' REGEXP '^a.c$', 'ABC' REGEXP 'abc',"
            + " 'ABC' REGEXP '(?i)abc', 'core.1234' REGEXP '^core\\\\.[0-9]+$'").get(0));
  }

  /** Spark string literals unescape backslashes; a raw literal keeps the pattern as GUFI users write it. */
  @Test
  void backslashesInPatterns() {
    assertEquals(List.of(true, false, true, false),
        rows("SELECT 'a.txt' REGEXP r'\\.txt$', 'atxt' REGEXP r'\\.txt$', 'a1' REGEXP r'\\d', 'a1' REGEXP r'\\s'").get(0));
  }

  @Test
  void filtersNamesLikeGufiFind() {
    assertEquals(List.of(List.of("core.17"), List.of("x.log")),
        rows("SELECT name FROM VALUES ('core.17'), ('x.log'), ('notes.txt'), (NULL) AS t(name)"
            + " WHERE name REGEXP r'^core\\.\\d+$|\\.log$' ORDER BY name"));
  }

  /** GUFI fails on a NULL subject or pattern; SQL gives NULL, which WHERE treats as false. */
  @Test
  void nulls() {
    assertEquals(Arrays.asList(null, null), rows("SELECT NULL REGEXP 'a', 'a' REGEXP NULL").get(0));
  }
}
