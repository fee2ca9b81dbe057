package io.tierdex.gufi;

import static io.tierdex.gufi.TestSpark.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExtensionTest {
  /** GUFI's unit test. */
  @Test
  void gufiUnitTest() {
    assertEquals(Arrays.asList("txt", "csv", "gz", "hidden", null, null, null),
        rows("SELECT ext('file.txt'), ext('name.csv'), ext('files.tar.gz'), ext('.hidden'), ext('.'),"
            + " ext('no-extension'), ext(NULL)").get(0));
  }

  @Test
  void moreNames() {
    assertEquals(Arrays.asList("c", null, null, "d/file", "ü"),
        rows("SELECT ext('a.b.c'), ext('a.'), ext(''), ext('dir.d/file'), ext('x.ü')").get(0));
  }

  @Test
  void groupingByExtension() {
    assertEquals(List.of(Arrays.asList(null, 1L), List.of("gz", 2L), List.of("txt", 1L)),
        rows("SELECT ext(name) e, count(*) FROM VALUES ('a.gz'), ('b.tar.gz'), ('c.txt'), ('README') AS v(name)"
            + " GROUP BY e ORDER BY e NULLS FIRST"));
  }
}
