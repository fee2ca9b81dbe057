package io.tierdex.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tierdex.cli.Tierdex;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A db.db tierdex writes has GUFI's schema, statement for statement. */
class GufiSchemaTest {
  @TempDir Path tmp;

  @Test
  void producedDatabasesHoldExactlyGufisStatementsInOrder() throws Exception {
    Path db = indexOneFile();
    List<String> stored = IndexDb.rows(db, "SELECT sql FROM sqlite_master WHERE sql NOT NULL"
        + " ORDER BY rowid").stream().map(r -> (String) r.get("sql")).toList();
    assertEquals(GufiSchema.parse(expectedSchema()), stored);
  }

  @Test
  void sqliteShellPrintsGufisSchemaFileVerbatim() throws Exception {
    Path db = indexOneFile();
    Process p;
    try {
      p = new ProcessBuilder("sqlite3", db.toString(), ".schema").start();
    } catch (java.io.IOException e) {
      Assumptions.abort("the sqlite3 shell is not installed (apt-get install sqlite3)");
      return;
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor());
    assertEquals(expectedSchema(), out);
  }

  @Test
  void theContractCopyMatchesTheSharedDesignFileWhenPresent() throws Exception {
    Path shared = Path.of("..", "..", "shared", "design", "gufi-db-schema.sql");
    Assumptions.assumeTrue(Files.exists(shared), "no ../shared beside the checkout");
    assertEquals(Files.readString(shared), expectedSchema());
  }

  @Test
  void everyEmptyTableExistsInTheParentDb() throws Exception {
    indexOneFile();
    Path parentDb = tmp.resolve("index/db.db");
    List<Map<String, Object>> objects = IndexDb.rows(parentDb,
        "SELECT count(*) AS n FROM sqlite_master WHERE type IN ('table', 'view')");
    assertEquals(17L, ((Number) objects.get(0).get("n")).longValue());
  }

  private Path indexOneFile() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    Files.writeString(src.resolve("a.txt"), "a");
    assertEquals(0, Tierdex.execute("index", src.toString(), tmp.resolve("index").toString()));
    return tmp.resolve("index/src/db.db");
  }

  /** GUFI's schema as the sqlite3 shell prints it: the test's own copy of the contract. */
  private static String expectedSchema() throws Exception {
    try (InputStream in = GufiSchemaTest.class.getResourceAsStream("/gufi/gufi-db-schema.sql")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
