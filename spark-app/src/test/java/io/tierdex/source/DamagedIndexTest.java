package io.tierdex.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierdex.testing.FindOracle;
import io.tierdex.testing.SharedSpark;
import io.tierdex.testing.TierdexCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Damaged db.db files in the middle of an index: each is reported with its path and
 * skipped, and the rest of the answer is still exactly right; strict reads fail instead.
 */
class DamagedIndexTest {
  @TempDir static Path tmp;
  static Path root;
  static List<FindOracle> tree;
  static final Set<String> DAMAGED = Set.of("d1", "d3/sub", "d5");

  @BeforeAll
  static void buildAndDamage() throws Exception {
    Path src = tmp.resolve("src");
    for (int d = 0; d < 6; d++) {
      Path dir = src.resolve("d" + d + "/sub");
      Files.createDirectories(dir);
      for (int f = 0; f < 4; f++) {
        Files.writeString(src.resolve("d" + d + "/f" + f), "x".repeat(f));
        Files.writeString(dir.resolve("g" + f), "y");
      }
    }
    TierdexCli.Run r = TierdexCli.run("index", src, tmp.resolve("idx"));
    assertEquals(0, r.exit(), r.describe());
    root = tmp.resolve("idx/src");
    tree = FindOracle.walk(src);
    Files.writeString(root.resolve("d1/db.db"), "this is not a SQLite database at all, really");
    byte[] whole = Files.readAllBytes(root.resolve("d3/sub/db.db"));
    byte[] broken = whole.clone();
    for (int i = 4096; i < broken.length; i++) {
      broken[i] = (byte) 0xA5; // every page after the first overwritten
    }
    Files.write(root.resolve("d3/sub/db.db"), broken);
    Files.delete(root.resolve("d5/db.db"));
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + root.resolve("d5/db.db"))) {
      c.createStatement().execute("CREATE TABLE unrelated(x)"); // SQLite, but no GUFI tables
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"java", "sqlite"})
  void damagedFilesAreNamedAndTheRestIsRight(String reader) {
    SparkSession spark = SharedSpark.get();
    long expected = tree.stream().filter(e -> e.stored()
        && DAMAGED.stream().noneMatch(d -> e.dir().equals(d))).count();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream old = System.err;
    long got;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      got = spark.read().format("gufi").option("table", "entries").option("reader", reader)
          .load(root.toString()).where("size >= 0").count();
    } finally {
      System.setErr(old);
    }
    String log0 = err.toString(StandardCharsets.UTF_8);
    assertEquals(expected, got, () -> log0 + spark.read().format("gufi").option("table", "entries")
        .load(root.toString()).groupBy("path").count().collectAsList());
    String log = err.toString(StandardCharsets.UTF_8);
    for (String d : DAMAGED) {
      assertTrue(log.contains("WARN gufi: skipping " + root.resolve(d).resolve("db.db") + ": "),
          "warning for " + d + " in:\n" + log);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"java", "sqlite"})
  void strictReadsFailNamingTheFile(String reader) {
    SparkSession spark = SharedSpark.get();
    Exception e = assertThrows(Exception.class, () -> spark.read().format("gufi")
        .option("table", "entries").option("strict", "true").option("reader", reader)
        .load(root.toString()).count());
    String message = String.valueOf(e.getMessage()) + (e.getCause() == null ? ""
        : e.getCause().getMessage());
    assertTrue(message.contains("gufi: cannot read " + root) && message.contains("db.db"), message);
  }

  @Test
  void aRootWithNoIndexIsAClearError() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("not-an-index"));
    Exception e = assertThrows(Exception.class, () -> SharedSpark.get().read().format("gufi")
        .load(empty.toString()).count());
    assertTrue(String.valueOf(e.getMessage()).contains("no db.db under " + empty),
        String.valueOf(e.getMessage()));
  }
}
