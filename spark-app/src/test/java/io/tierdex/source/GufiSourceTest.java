package io.tierdex.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierdex.testing.FindOracle;
import io.tierdex.testing.SharedSpark;
import io.tierdex.testing.Shell;
import io.tierdex.testing.TierdexCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GUFI-style queries through the gufi source on an index built by tierdex index, every
 * answer compared with one computed from GNU find's lstat over the source tree.
 */
class GufiSourceTest {
  private static final long OLD = 1_500_000_000L;
  private static final long NEW = 1_700_000_000L;

  @TempDir static Path tmp;
  static Path src;
  static String root;
  static List<FindOracle> tree;
  static SparkSession spark;

  @BeforeAll
  static void indexAndRegister() throws Exception {
    src = tmp.resolve("src");
    boolean asRoot = Shell.isRoot();
    for (int d = 0; d < 3; d++) {
      Path dir = src.resolve("proj" + d + "/data/run" + d);
      Files.createDirectories(dir);
      for (int f = 0; f < 5; f++) {
        Path p = dir.resolve("file" + f + ".dat");
        Files.write(p, new byte[f * 700 + d]);
        Shell.run("touch", "-h", "-d", "@" + (f % 2 == 0 ? OLD : NEW), p.toString());
        if (asRoot && f == 3) {
          Shell.run("chown", "1000:100", p.toString());
        }
      }
      Files.writeString(src.resolve("proj" + d + "/README"), "readme " + d);
    }
    Files.writeString(src.resolve("it's here.txt"), "quoted");
    Files.createSymbolicLink(src.resolve("proj0/latest"), Path.of("data/run0"));
    Files.createDirectories(src.resolve("empty"));
    if (asRoot) {
      Shell.run("chown", "-R", "2000:200", src.resolve("proj2").toString());
    }
    Path parent = tmp.resolve("index");
    TierdexCli.Run r = TierdexCli.run("index", "--threads", "2", src, parent);
    assertEquals(0, r.exit(), r.describe());
    root = parent.resolve("src").toString();
    tree = FindOracle.walk(src);
    spark = SharedSpark.get();
    for (String t : List.of("entries", "pentries", "summary", "vrsummary", "vrpentries")) {
      spark.read().format("gufi").option("table", t).load(root).createOrReplaceTempView(t);
    }
  }

  @Test
  void seedQueryCountsRootOwnedEntries() {
    long expected = tree.stream().filter(e -> e.stored() && e.uid() == 0 && e.gid() == 0)
        .count();
    long got = spark.sql("SELECT COUNT(*) FROM pentries WHERE uid = 0 AND gid = 0")
        .first().getLong(0);
    assertEquals(expected, got);
  }

  @Test
  void seedQueryPrintsFullPathsWithPath() {
    TreeSet<String> expected = tree.stream()
        .filter(e -> e.stored() && e.uid() == 0 && e.gid() == 0)
        .map(e -> root + "/" + e.rel()).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(expected, strings(spark.sql("SELECT path() || (CASE type WHEN 'd' THEN '' "
        + "ELSE '/' || name END) FROM pentries WHERE uid = 0 AND gid = 0")));
  }

  @Test
  void sizeAndMtimeFilters() {
    assertEquals(paths(e -> e.type() == 'f' && e.size() > 1024),
        strings(spark.sql("SELECT path() || '/' || name FROM entries "
            + "WHERE type = 'f' AND size > 1024")));
    assertEquals(paths(e -> e.stored() && e.mtime() < NEW - 1000),
        strings(spark.sql("SELECT path() || '/' || name FROM entries WHERE mtime < "
            + (NEW - 1000))));
  }

  @Test
  void groupByUidMatchesFind() {
    Map<Long, String> expected = new TreeMap<>();
    tree.stream().filter(e -> e.type() == 'f').collect(Collectors.groupingBy(FindOracle::uid))
        .forEach((uid, files) -> expected.put(uid, files.size() + " "
            + files.stream().mapToLong(FindOracle::size).sum()));
    Map<Long, String> got = new TreeMap<>();
    for (Row r : spark.sql("SELECT uid, COUNT(*), SUM(size) FROM entries WHERE type = 'f' "
        + "GROUP BY uid").collectAsList()) {
      got.put(r.getLong(0), r.getLong(1) + " " + r.getLong(2));
    }
    assertEquals(expected, got);
  }

  @Test
  void summaryRowsPerDirectory() {
    Map<String, String> expected = new TreeMap<>();
    for (FindOracle d : tree) {
      if (d.type() == 'd') {
        List<FindOracle> kids = tree.stream()
            .filter(e -> e.stored() && e.dir().equals(d.rel())).toList();
        expected.put(d.rel().isEmpty() ? root : root + "/" + d.rel(),
            kids.stream().filter(e -> e.type() == 'f').count() + " "
                + kids.stream().filter(e -> e.type() == 'l').count() + " "
                + kids.stream().filter(e -> e.type() == 'f').mapToLong(FindOracle::size).sum());
      }
    }
    Map<String, String> got = new TreeMap<>();
    for (Row r : spark.sql("SELECT path(), totfiles, totlinks, totsize FROM summary")
        .collectAsList()) {
      got.put(r.getString(0), r.getLong(1) + " " + r.getLong(2) + " " + r.getLong(3));
    }
    assertEquals(expected, got);
  }

  @Test
  void quotedNamesReadBackAsTheRealName() {
    List<Row> rows = spark.sql("SELECT name, path() FROM entries WHERE name = 'it''s here.txt'")
        .collectAsList();
    assertEquals(1, rows.size(), "the file named it's here.txt");
    assertEquals("it's here.txt", rows.get(0).getString(0));
    assertEquals(root, rows.get(0).getString(1));
  }

  @Test
  void vrpentriesWithRpathAndLevels() {
    assertEquals(paths(FindOracle::stored),
        strings(spark.sql("SELECT rpath(sname, sroll) || '/' || name FROM vrpentries")));
    Map<Integer, Long> expected = new TreeMap<>();
    tree.stream().filter(FindOracle::stored)
        .forEach(e -> expected.merge(e.dirLevel(), 1L, Long::sum));
    Map<Integer, Long> got = new TreeMap<>();
    for (Row r : spark.sql("SELECT level(), COUNT(*) FROM pentries GROUP BY level()")
        .collectAsList()) {
      got.put(r.getInt(0), r.getLong(1));
    }
    assertEquals(expected, got);
    assertEquals(List.of("data", "proj0", "proj1", "proj2", "run0", "run1", "run2", "src"),
        new ArrayList<>(strings(spark.sql(
            "SELECT DISTINCT epath() FROM summary WHERE path() != '" + root + "/empty'"))));
  }

  @Test
  void levelOptionsLimitTheDirectoriesRead() {
    Dataset<Row> top = spark.read().format("gufi").option("table", "entries")
        .option("minLevel", "1").option("maxLevel", "2").load(root);
    long expected = tree.stream()
        .filter(e -> e.stored() && e.dirLevel() >= 1 && e.dirLevel() <= 2).count();
    assertEquals(expected, top.count());
  }

  @Test
  void explainShowsFiltersAndColumnsReachingSqlite() {
    String plan = spark.sql("SELECT name FROM entries WHERE uid = 0 AND size > 1024")
        .queryExecution().executedPlan().toString();
    // Both filters run inside SQLite, so Spark asks for the name column only.
    assertTrue(plan.contains("sqlite=[SELECT \"name\" FROM g.entries WHERE \"uid\" IS NOT NULL"
        + " AND \"size\" IS NOT NULL AND \"uid\" = 0 AND \"size\" > 1024]"), plan);
    assertTrue(plan.contains("columns=1/24"), plan);
    assertTrue(!plan.contains("Filter "), "no filter left for Spark:\n" + plan);
  }

  @Test
  void explainShowsAggregatesRunningPerFileInSqlite() {
    // The Java reader leaves aggregation to Spark; with reader=sqlite it runs per file.
    spark.read().format("gufi").option("reader", "sqlite").load(root)
        .createOrReplaceTempView("entries_sqlite");
    String plan = spark.sql("SELECT uid, COUNT(*), SUM(size), MAX(mtime) FROM entries_sqlite "
        + "WHERE type = 'f' GROUP BY uid").queryExecution().executedPlan().toString();
    assertTrue(plan.contains("sqlite=[SELECT \"uid\", COUNT(*), SUM(\"size\"), MAX(\"mtime\") "
        + "FROM g.entries WHERE \"type\" IS NOT NULL AND \"type\" = 'f' GROUP BY \"uid\"]"), plan);
    assertTrue(plan.contains("pushedAggregation="), plan);
    Map<Long, Long> expected = new TreeMap<>();
    tree.stream().filter(e -> e.type() == 'f').forEach(e -> expected.merge(e.uid(), e.mtime(),
        Math::max));
    for (String table : List.of("entries", "entries_sqlite")) {
      Map<Long, Long> got = new TreeMap<>();
      spark.sql("SELECT uid, MAX(mtime) FROM " + table + " WHERE type = 'f' GROUP BY uid")
          .collectAsList().forEach(r -> got.put(r.getLong(0), r.getLong(1)));
      assertEquals(expected, got, table);
    }
  }

  @Test
  void gufiFormattingFunctionsOverTheIndex() {
    TreeSet<String> expected = new TreeSet<>();
    for (FindOracle e : tree) {
      if (e.stored()) {
        long k = (e.size() + 1023) / 1024;
        expected.add(e.name() + " " + e.symbolicMode() + " " + k + "K " + humanReadable(e.size()));
      }
    }
    assertEquals(expected, strings(spark.sql("SELECT name || ' ' || modetotxt(mode) || ' ' || "
        + "blocksize(size, 'K') || ' ' || human_readable_size(size) FROM pentries")));
  }

  /** GUFI's rule, restated: divide by 1024 while >= 1024, one decimal, K/M/G... suffix. */
  private static String humanReadable(long bytes) {
    double v = bytes;
    int unit = 0;
    while (v >= 1024) {
      v /= 1024;
      unit++;
    }
    return String.format(java.util.Locale.ROOT, "%.1f", v) + (unit == 0 ? "" : "KMGTPE".charAt(unit - 1));
  }

  @Test
  void fpathIsTheRealPathOfTheDirectory() throws Exception {
    Path link = tmp.resolve("index-link");
    Files.createSymbolicLink(link, Path.of(root).getParent());
    spark.read().format("gufi").option("table", "summary").load(link + "/src/../src")
        .createOrReplaceTempView("linked");
    List<Row> rows = spark.sql("SELECT path(), fpath() FROM linked WHERE name = 'run1'")
        .collectAsList();
    assertEquals(1, rows.size());
    assertEquals(link + "/src/../src/proj1/data/run1", rows.get(0).getString(0));
    assertEquals(Path.of(root).toRealPath() + "/proj1/data/run1", rows.get(0).getString(1));
  }

  private static TreeSet<String> paths(java.util.function.Predicate<FindOracle> p) {
    return tree.stream().filter(p).map(e -> root + "/" + e.rel())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static TreeSet<String> strings(Dataset<Row> df) {
    TreeSet<String> out = new TreeSet<>();
    for (Row r : df.collectAsList()) {
      out.add(r.getString(0));
    }
    return out;
  }
}
