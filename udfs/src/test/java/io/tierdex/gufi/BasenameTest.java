package io.tierdex.gufi;

import static io.tierdex.gufi.TestSpark.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class BasenameTest {
  /** GUFI's unit test, taken from basename(3), plus its NULL case. */
  @Test
  void gufiUnitTest() {
    assertEquals(List.of("lib", "usr", "usr", "/", ".", "..", ""),
        rows("SELECT basename('/usr/lib'), basename('/usr/'), basename('usr'), basename('/'),"
            + " basename('.'), basename('..'), basename(NULL)").get(0));
  }

  @Test
  void moreSlashesEmptyAndNonAscii() {
    assertEquals(List.of("b", "/", "/", "é.txt", "it's"),
        rows("SELECT basename('a//b//'), basename('//'), basename(''), basename('dir/é.txt'),"
            + " basename('/x/it''s')").get(0));
  }

  @Test
  void ofAColumn() {
    assertEquals(List.of(List.of("c"), List.of("x")),
        rows("SELECT basename(p) FROM VALUES ('/a/b/c'), ('x') AS v(p) ORDER BY p"));
  }
}
