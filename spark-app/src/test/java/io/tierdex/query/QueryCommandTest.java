package io.tierdex.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierdex.testing.FindOracle;
import io.tierdex.testing.SharedSpark;
import io.tierdex.testing.TierdexCli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tierdex query as a user runs it: GUFI's output format, files, and clear errors. */
class QueryCommandTest {
  @TempDir static Path tmp;
  static Path index;
  static List<FindOracle> tree;

  @BeforeAll
  static void index() throws Exception {
    Path src = tmp.resolve("projects");
    for (int d = 0; d < 3; d++) {
      Files.createDirectories(src.resolve("p" + d + "/raw"));
      Files.write(src.resolve("p" + d + "/raw/big.bin"), new byte[5000 + d]);
      Files.writeString(src.resolve("p" + d + "/notes.txt"), "n" + d);
    }
    assertEquals(0, TierdexCli.run("index", src, tmp.resolve("idx")).exit());
    index = tmp.resolve("idx/projects");
    tree = FindOracle.walk(src);
    SharedSpark.get(); // the command joins the test JVM's session
  }

  @Test
  void entriesQueryPrintsGufiRecordSeparatedRows() {
    TierdexCli.Run r = TierdexCli.run("query", "-E",
        "SELECT path() || '/' || name, size FROM entries WHERE size > 1000", index);
    assertEquals(0, r.exit(), r.describe());
    TreeSet<String> expected = tree.stream().filter(e -> e.type() == 'f' && e.size() > 1000)
        .map(e -> index + "/" + e.rel() + "\u001e" + e.size())
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(expected, new TreeSet<>(Arrays.asList(r.out().split("\n"))));
  }

  @Test
  void sqlWithDelimiterIntoAFile() throws Exception {
    Path out = tmp.resolve("by-level.csv");
    TierdexCli.Run r = TierdexCli.run("query", "-d", ",", "-o", out, "--sql",
        "SELECT level(), COUNT(*), MAX(linkname) FROM entries GROUP BY level() ORDER BY 1",
        index);
    assertEquals(0, r.exit(), r.describe());
    assertEquals("", r.out());
    // level 1 holds notes.txt in each project, level 2 big.bin; linkname '' (not NULL)
    assertEquals("1,3,\n2,3,\n", Files.readString(out, StandardCharsets.UTF_8));
  }

  @Test
  void badSqlIsAUsageErrorQuotingSparkAndTheQuery() {
    TierdexCli.Run r = TierdexCli.run("query", "--sql", "SELECT nosuch FROM entries", index);
    assertEquals(2, r.exit(), r.describe());
    assertTrue(r.err().contains("bad SQL: [UNRESOLVED_COLUMN"), r.describe());
    assertTrue(r.err().contains("in: SELECT nosuch FROM entries"), r.describe());
  }

  @Test
  void aDirectoryWithoutAnIndexIsNamed() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    TierdexCli.Run r = TierdexCli.run("query", "-E", "SELECT name FROM entries", empty);
    assertEquals(2, r.exit(), r.describe());
    assertTrue(r.err().contains(empty + " holds no index (no db.db)"), r.describe());
    TierdexCli.Run none = TierdexCli.run("query", index);
    assertEquals(2, none.exit(), none.describe());
    assertTrue(none.err().contains("give the SQL to run with -E, -S or --sql"), none.describe());
  }
}
