package io.tierdex.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tierdex.testing.FindOracle;
import io.tierdex.testing.GufiRollup;
import io.tierdex.testing.SharedSpark;
import io.tierdex.testing.TierdexCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An index rolled up as gufi_rollup leaves it (the subtree {@code top/a}): the source
 * reads the rolled-up db.db instead of descending, and every row still reports the
 * directory it lives in, so each file appears exactly once with its true path and level.
 */
class RolledUpIndexTest {
  @org.junit.jupiter.api.io.TempDir static Path tmp;
  static String root;
  static List<FindOracle> tree;

  @BeforeAll
  static void indexAndRollUp() throws Exception {
    Path top = tmp.resolve("src/top");
    for (String dir : List.of("a/b/d", "a/b2", "c", "a/it's")) {
      Files.createDirectories(top.resolve(dir));
    }
    for (String file : List.of("f0", "a/fa", "a/b/fb1", "a/b/fb2", "a/b/d/deep", "a/b2/x",
        "c/fc", "a/it's/q")) {
      Files.writeString(top.resolve(file), file);
    }
    Files.createSymbolicLink(top.resolve("a/b/link"), Path.of("fb1"));
    TierdexCli.Run r = TierdexCli.run("index", top, tmp.resolve("idx"));
    assertEquals(0, r.exit(), r.describe());
    GufiRollup.rollUp(tmp.resolve("idx/top/a"));
    root = tmp.resolve("idx/top").toString();
    tree = FindOracle.walk(top);
  }

  static Stream<Arguments> readers() {
    return Stream.of(Arguments.of("pentries", "java"), Arguments.of("pentries", "sqlite"),
        Arguments.of("vrpentries", "sqlite"));
  }

  @ParameterizedTest
  @MethodSource("readers")
  void everyFileOnceWithItsTrueDirectoryAndLevel(String table, String reader) {
    List<String> expected = tree.stream().filter(FindOracle::stored)
        .map(e -> (e.dir().isEmpty() ? root : root + "/" + e.dir()) + "/" + e.name() + " @"
            + e.dirLevel())
        .sorted().toList();
    List<String> got = read(table, reader).select("path", "name", "level").collectAsList()
        .stream().map(row -> row.getString(0) + "/" + row.getString(1) + " @" + row.getInt(2))
        .sorted().toList();
    assertEquals(expected, got);
  }

  @ParameterizedTest
  @MethodSource("readers")
  void aPathQueryCountsTheFilesBelowARolledUpDirectory(String table, String reader) {
    long expected = tree.stream().filter(e -> e.stored() && e.rel().startsWith("a/b/")).count();
    Row got = read(table, reader)
        .where("path = '" + root + "/a/b' OR path LIKE '" + root + "/a/b/%'")
        .selectExpr("COUNT(*)").first();
    assertEquals(expected, got.getLong(0));
  }

  @ParameterizedTest
  @MethodSource("summaries")
  void everyDirectoryOnceInTheSummary(String table, String reader) {
    List<String> expected = Stream.concat(Stream.of(root), tree.stream()
        .filter(e -> e.type() == 'd' && !e.rel().isEmpty()).map(e -> root + "/" + e.rel())).sorted().toList();
    List<String> got = read(table, reader).where("rectype = 0").select("path")
        .collectAsList().stream().map(row -> row.getString(0)).sorted().toList();
    assertEquals(expected, got);
  }

  @org.junit.jupiter.api.Test
  void treeSummariesOfTheRolledUpDirectoriesReportTheirSubtrees() {
    java.util.Map<String, Long> expected = new java.util.TreeMap<>();
    tree.stream().filter(e -> e.type() == 'd' && (e.rel().equals("a") || e.rel().startsWith("a/")))
        .forEach(d -> expected.put(root + "/" + d.rel(), tree.stream()
            .filter(e -> e.stored() && e.rel().startsWith(d.rel() + "/")).count()));
    java.util.Map<String, Long> got = new java.util.TreeMap<>();
    read("treesummary", "sqlite").where("rectype = 0").collectAsList().forEach(r -> got.put(
        r.getString(r.fieldIndex("path")),
        r.getLong(r.fieldIndex("totfiles")) + r.getLong(r.fieldIndex("totlinks"))));
    assertEquals(expected, got);
  }

  static Stream<Arguments> summaries() {
    return Stream.of(Arguments.of("summary", "java"), Arguments.of("summary", "sqlite"),
        Arguments.of("vrsummary", "sqlite"));
  }

  private static org.apache.spark.sql.Dataset<Row> read(String table, String reader) {
    SparkSession spark = SharedSpark.get();
    return spark.read().format("gufi").option("table", table).option("reader", reader)
        .load(root);
  }
}
