package io.tierdex.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tierdex.sample.SampleTree;
import io.tierdex.sample.SampleTreeSpec;
import io.tierdex.testing.Checkout;
import io.tierdex.testing.SharedSpark;
import io.tierdex.testing.TierdexCli;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * notebooks/zeppelin/tierdex.zpln without a Zeppelin: every {@code %spark.sql} paragraph run
 * as Zeppelin's Spark SQL interpreter runs it (statements split at {@code ;}, the views and
 * GUFI's functions from the session extension), over an index of a generated tree.
 */
class ZeppelinNoteTest {
  /** The path the note's first SQL paragraph ships with, for the user to replace. */
  static final String PLACEHOLDER = "/srv/index/projects";

  @TempDir
  static Path tmp;
  static Path index;
  static List<String> paragraphs;

  @BeforeAll
  static void indexATree() throws Exception {
    Path tree = tmp.resolve("projects");
    SampleTree.create(new SampleTreeSpec(3, 2, 12, 7, false), tree, 2);
    TierdexCli.Run r = TierdexCli.run("index", tree, tmp.resolve("index"));
    assertEquals(0, r.exit(), r.describe());
    index = tmp.resolve("index/projects");
    paragraphs = new ArrayList<>();
    JsonNode note = new ObjectMapper().readTree(Checkout.root()
        .resolve("notebooks/zeppelin/tierdex.zpln").toFile());
    note.get("paragraphs").forEach(p -> paragraphs.add(p.get("text").asText()));
  }

  @Test
  void everyParagraphPicksAnInterpreterZeppelinHas() {
    for (String p : paragraphs) {
      String first = p.lines().findFirst().orElse("");
      assertTrue(first.equals("%md") || first.equals("%spark.sql"), "paragraph starts with '"
          + first + "', not %md or %spark.sql:\n" + p);
    }
    assertTrue(paragraphs.stream().filter(p -> p.startsWith("%md")).count() >= 5);
  }

  /** The first SQL paragraph creates the view; its index path is on exactly one line. */
  @Test
  void theIndexPathIsTheOneLineToEdit() {
    String first = sqlParagraphs().get(0);
    assertEquals(1, first.lines().filter(l -> l.contains(PLACEHOLDER)).count(), first);
    assertTrue(first.contains("USING gufi"), first);
    assertTrue(paragraphs.stream().skip(1).noneMatch(p -> p.contains(PLACEHOLDER)
        && !p.equals(first)), "only the view paragraph names the index");
  }

  @Test
  void everySqlParagraphReturnsRows() {
    SparkSession spark = SharedSpark.get();
    List<String> sql = sqlParagraphs();
    run(spark, userEdit(sql.get(0)));
    assertTrue(spark.catalog().tableExists("entries"), "the first paragraph makes the view");
    assertTrue(sql.size() >= 10, "queries in the note: " + sql.size());
    for (String p : sql.subList(1, sql.size())) {
      List<Row> rows = run(spark, p);
      assertFalse(rows.isEmpty(), "no rows from:\n" + p);
    }
    // The totals paragraph counts what the tree holds: 3 + 9 + 1 directories of 12 files.
    List<Row> totals = run(spark, sql.stream().filter(p -> p.contains("count_if(type = 'f')"))
        .findFirst().orElseThrow());
    assertEquals(13 * 12, totals.get(0).getLong(0));
  }

  /** The runner above really fails on a broken paragraph, naming what is wrong. */
  @Test
  void aParagraphWithAnUnknownColumnFails() {
    SparkSession spark = SharedSpark.get();
    List<String> sql = sqlParagraphs();
    run(spark, userEdit(sql.get(0)));
    String byUser = sql.stream().filter(p -> p.contains("uidtouser(uid) AS user"))
        .findFirst().orElseThrow();
    String broken = byUser.replace("sum(size)", "sum(no_such_size)");
    assertFalse(broken.equals(byUser));
    AnalysisException e = assertThrows(AnalysisException.class, () -> run(spark, broken));
    assertTrue(e.getMessage().contains("no_such_size"), e.getMessage());
  }

  static List<String> sqlParagraphs() {
    return paragraphs.stream().filter(p -> p.startsWith("%spark.sql")).toList();
  }

  /** What a user does to the view paragraph: put their index's path in. */
  static String userEdit(String viewParagraph) {
    return viewParagraph.replace(PLACEHOLDER, index.toString());
  }

  /**
   * Runs a paragraph as Zeppelin's Spark SQL interpreter does: the lines after the
   * interpreter line, split into statements at a {@code ;} that ends a line; the last
   * statement's rows (at most 1000, Zeppelin's default display limit).
   */
  static List<Row> run(SparkSession spark, String paragraph) {
    String body = paragraph.substring(paragraph.indexOf('\n') + 1);
    List<Row> rows = List.of();
    for (String statement : Pattern.compile(";\\s*$", Pattern.MULTILINE).split(body)) {
      if (!statement.isBlank()) {
        rows = spark.sql(statement).limit(1000).collectAsList();
      }
    }
    return rows;
  }
}
