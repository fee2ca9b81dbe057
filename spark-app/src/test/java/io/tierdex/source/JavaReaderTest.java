package io.tierdex.source;

import io.tierdex.sqlite.SqlitePages;
import io.tierdex.sqlite.TableRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierdex.testing.SharedSpark;
import io.tierdex.testing.Shell;
import io.tierdex.testing.TierdexCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Java decoder against SQLite itself: every table it serves, with and without
 * filters, must return exactly the rows SQLite returns, on files tierdex wrote and on
 * files reshaped the ways other writers leave them (other page sizes, rows spilling onto
 * overflow pages, multi-level b-trees, REAL and text values in INT64 columns, NULLs,
 * WAL mode).
 */
class JavaReaderTest {
  @TempDir static Path tmp;
  static String root;

  @BeforeAll
  static void buildIndex() throws Exception {
    Path src = tmp.resolve("src");
    Path big = src.resolve("big");
    Files.createDirectories(big);
    for (int i = 0; i < 3000; i++) { // ~70 leaf pages: interior pages above them
      Files.write(big.resolve("file-" + i + "-" + "x".repeat(i % 90)), new byte[i % 17]);
    }
    Path odd = src.resolve("odd");
    Files.createDirectories(odd);
    Files.createSymbolicLink(odd.resolve("long-link"), Path.of("t".repeat(4000))); // overflow
    Files.writeString(odd.resolve("it's"), "quote");
    Files.writeString(odd.resolve("new\nline ü"), "nl");
    for (String name : List.of("page512", "page64k", "reals", "wal")) {
      Path d = src.resolve(name);
      Files.createDirectories(d);
      for (int i = 0; i < 40; i++) {
        Files.write(d.resolve("f" + i), new byte[i]);
      }
      Files.createSymbolicLink(d.resolve("link"), Path.of("u".repeat(3000)));
    }
    Path parent = tmp.resolve("index");
    TierdexCli.Run r = TierdexCli.run("index", src, parent);
    assertEquals(0, r.exit(), r.describe());
    Path idx = parent.resolve("src");
    root = idx.toString();
    sql(idx.resolve("page512/db.db"), "PRAGMA page_size=512", "VACUUM");
    sql(idx.resolve("page64k/db.db"), "PRAGMA page_size=65536", "VACUUM");
    sql(idx.resolve("reals/db.db"),
        "UPDATE entries SET size = size + 0.5 WHERE name = 'f3'",
        "UPDATE entries SET uid = 'not-a-number' WHERE name = 'f4'",
        "UPDATE entries SET linkname = NULL, xattr_names = NULL WHERE name = 'f5'",
        "UPDATE entries SET mtime = -12345678901 WHERE name = 'f6'",
        "UPDATE entries SET inode = 77 WHERE name = 'f7'");
    sql(idx.resolve("wal/db.db"), "PRAGMA journal_mode=WAL");
  }

  private static void sql(Path db, String... statements) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement()) {
      for (String q : statements) {
        s.execute(q);
      }
    }
  }

  private static List<String> rows(String table, String reader, String where) {
    SparkSession spark = SharedSpark.get();
    Dataset<Row> df = spark.read().format("gufi").option("table", table).option("reader", reader)
        .load(root);
    if (!where.isEmpty()) {
      df = df.where(where);
    }
    return df.toJSON().collectAsList().stream().sorted().toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"entries", "pentries", "summary", "pentries_rollup"})
  void everyRowEqualsWhatSqliteReturns(String table) {
    List<String> sqlite = rows(table, "sqlite", "");
    assertEquals(sqlite, rows(table, "java", ""));
    if (!table.equals("pentries_rollup")) {
      assertTrue(sqlite.size() > 5, table + ": " + sqlite.size() + " rows");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "size > 20", "size >= 3 AND size < 3.6", "uid = 0", "uid > 5", "uid IS NULL",
      "linkname IS NULL", "name = 'it''s'", "name IN ('f1', 'f2', 'new\nline ü')",
      "type = 'l' OR size = 0", "NOT (size > 10)", "inode = '77'", "inode < '5'",
      "type LIKE 'l%'", "mtime < 0", "name <=> 'f9'", "NOT (uid = 0) OR linkname IS NULL"})
  void pushedFiltersSelectWhatSqliteSelects(String where) {
    assertEquals(rows("pentries", "sqlite", where), rows("pentries", "java", where), where);
  }

  @Test
  void valuesOtherWritersLeaveReadAsSqliteReadsThem() {
    List<Row> got = SharedSpark.get().read().format("gufi").load(root)
        .where("path LIKE '%/reals' AND name IN ('f3', 'f4', 'f5', 'f6', 'f7')")
        .orderBy("name").select("size", "uid", "linkname", "mtime", "inode").collectAsList();
    assertEquals(3L, got.get(0).getLong(0), "REAL 3.5 read as a 64-bit integer");
    assertEquals(0L, got.get(1).getLong(1), "non-numeric text in an INT64 column reads 0");
    assertTrue(got.get(2).isNullAt(2), "NULL stays NULL");
    assertEquals(-12345678901L, got.get(3).getLong(3));
    assertEquals("77", got.get(4).getString(4), "an integer in a TEXT column reads as text");
  }

  @Test
  void explainNamesTheReader() {
    SparkSession spark = SharedSpark.get();
    String java = spark.read().format("gufi").load(root).where("size > 5").select("name")
        .queryExecution().executedPlan().toString();
    assertTrue(java.contains("reader=java"), java);
    String views = spark.read().format("gufi").option("table", "vrpentries").load(root)
        .where("size > 5").select("name").queryExecution().executedPlan().toString();
    assertTrue(views.contains("reader=sqlite"), "views the decoder does not serve: " + views);
  }

  @Test
  void theDecoderReadsTheSameFilesSqliteChecks() throws Exception {
    Path db = Path.of(root, "big/db.db");
    long expected;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM entries")) {
      expected = rs.getLong(1);
    }
    assertEquals(3000, expected);
    assertFalse(Shell.run("sqlite3", db.toString(), "PRAGMA integrity_check").contains("error"));
    for (int wholeFile : new int[] {SqlitePages.WHOLE_FILE, 0}) { // and page by page
      try (SqlitePages pages = SqlitePages.open(db, wholeFile);
          TableRows rows = new TableRows(pages, pages.rootPage("entries"))) {
        long n = 0;
        long bytes = 0;
        while (rows.next()) {
          n++;
          bytes += rows.record().getString(0).length();
        }
        assertEquals(expected, n);
        assertEquals(java.util.stream.IntStream.range(0, 3000)
            .map(i -> ("file-" + i + "-" + "x".repeat(i % 90)).length()).sum(), bytes);
      }
    }
  }
}
