package io.tierdex.testing;

import static io.tierdex.testing.IndexFiles.DB;
import static io.tierdex.testing.IndexFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierdex.cli.Tierdex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

/**
 * GufiRollup on an index written by tierdex index, checked with plain SQLite on the
 * db.db files: what each rolled-up database holds, and that GUFI's rpath rule plus
 * gufi_query's stop-at-rolled-up descent find every source file exactly once.
 *
 * <p>Tree (source {@code src/top}, index {@code idx/top}):
 * <pre>
 * top/f_top.txt
 * top/a/fa.txt
 * top/a/b/fb1.txt  top/a/b/fb2.dat  top/a/b/link -> fb1.txt
 * top/a/b/d/       (empty)
 * top/c/fc.txt
 * </pre>
 */
class GufiRollupTest {
  @TempDir Path tmp;
  private Path src;
  private Path idx;

  @BeforeEach
  void indexTree() throws IOException {
    src = tmp.resolve("src");
    Path top = src.resolve("top");
    write(top.resolve("f_top.txt"), "top");
    write(top.resolve("a/fa.txt"), "a");
    write(top.resolve("a/b/fb1.txt"), "b1");
    write(top.resolve("a/b/fb2.dat"), "b2b2");
    Files.createSymbolicLink(top.resolve("a/b/link"), Path.of("fb1.txt"));
    Files.createDirectories(top.resolve("a/b/d"));
    write(top.resolve("c/fc.txt"), "c");
    idx = tmp.resolve("idx");
    TierdexCli.Run run = TierdexCli.run("index", top, idx);
    assertEquals(Tierdex.OK, run.exit(), run.describe());
  }

  @Test
  void rollingUpASubdirectoryFoldsItsSubtreeIntoIt() throws Exception {
    GufiRollup.rollUp(idx.resolve("top/a"));
    Path a = db("top/a");
    Path b = db("top/a/b");
    Path d = db("top/a/b/d");

    assertEquals(4, number(a, "SELECT COUNT(*) FROM pentries"),
        "pentries of the rolled-up a: fa.txt, fb1.txt, fb2.dat, link");
    assertEquals(1, number(a, "SELECT COUNT(*) FROM entries"), "entries keeps a's own file");
    assertEquals(3, number(a, "SELECT COUNT(*) FROM pentries_rollup"));

    assertEquals(Set.of("a|1|0|0|1|1", "a/b|0|1|0|1|1", "a/b/d|0|2|0|1|1"),
        rows(a, "SELECT name, isroot, depth, rectype, canrollup, isrolledup FROM summary"),
        "name|isroot|depth|rectype|canrollup|isrolledup of a's summary rows");

    // The copied rows keep the child's inode and pinode: a/b hangs under a, a/b/d under b.
    String aInode = string(a, "SELECT inode FROM summary WHERE isroot == 1");
    String bInode = string(b, "SELECT inode FROM summary WHERE isroot == 1");
    String dInode = string(d, "SELECT inode FROM summary WHERE isroot == 1");
    assertEquals(Set.of("a/b|" + bInode + "|" + aInode, "a/b/d|" + dInode + "|" + bInode),
        rows(a, "SELECT name, inode, pinode FROM summary WHERE isroot == 0"));
    assertEquals(Set.of("fb1.txt|f|" + bInode + "|" + aInode, "fb2.dat|f|" + bInode + "|" + aInode,
            "link|l|" + bInode + "|" + aInode),
        rows(a, "SELECT name, type, pinode, ppinode FROM pentries_rollup"),
        "pentries_rollup rows carry the directory they are in (pinode) and its parent");
    assertEquals(0, number(a, "SELECT COUNT(*) FROM pentries AS p WHERE NOT EXISTS"
        + " (SELECT 1 FROM summary AS s WHERE s.inode == p.pinode AND s.pinode == p.ppinode)"),
        "every pentries row finds its directory among a's summary rows");

    // The children were rolled up first and keep their own db.db and rollup data.
    assertEquals(Set.of("b|1|1", "b/d|0|1"), rows(b, "SELECT name, isroot, isrolledup FROM summary"));
    assertEquals(3, number(b, "SELECT COUNT(*) FROM pentries"));
    assertEquals(Set.of("d|1|1|1"), rows(d, "SELECT name, isroot, canrollup, isrolledup FROM summary"),
        "a leaf rolls up too: it has no child to conflict with");

    // Beside and above the subtree nothing changes.
    for (String untouched : List.of("top", "top/c")) {
      assertEquals(Set.of("0|0|1"), rows(db(untouched),
          "SELECT canrollup, isrolledup, COUNT(*) FROM summary"), untouched);
      assertEquals(0, number(db(untouched),
          "SELECT COUNT(*) FROM sqlite_master WHERE name == 'treesummary'"), untouched);
    }

    // treesummary: the children's rows copied, a's own computed from its summary.
    assertEquals(Set.of(aInode + "|2|3|1", bInode + "|1|2|1", dInode + "|0|0|0"),
        rows(a, "SELECT inode, totsubdirs, totfiles, totlinks FROM treesummary"));
    assertEquals(1, number(a,
        "SELECT COUNT(*) FROM sqlite_master WHERE type == 'index' AND name == 'summary_idx'"));

    // GUFI's rpath on a's rows gives each row's true directory in the source.
    assertEquals(Set.of("top/a", "top/a/b", "top/a/b/d"),
        mapped(a, "SELECT sname, sroll FROM vrsummary",
            r -> GufiRollup.rpath("top/a", r[0], Long.parseLong(r[1]))));
    assertEquals(sourceFilesUnder("top/a"),
        mapped(a, "SELECT sname, sroll, name FROM vrpentries",
            r -> GufiRollup.rpath("top/a", r[0], Long.parseLong(r[1]), r[2])));

    Walk walk = gufiQueryWalk("top");
    assertEquals(sourceFilesUnder("top"), new TreeSet<>(walk.paths),
        "a gufi_query-style walk finds every file once");
    assertEquals(walk.paths.size(), new TreeSet<>(walk.paths).size(), "no file twice");
    assertEquals(List.of("top", "top/a", "top/c"), walk.opened,
        "the walk stops at the rolled-up a and never opens a/b or a/b/d");
  }

  @Test
  void rollingUpTheWholeIndexPutsEverythingInTheTop() throws Exception {
    GufiRollup.rollUp(idx.resolve("top"));
    Path top = db("top");

    assertEquals(6, number(top, "SELECT COUNT(*) FROM pentries"));
    assertEquals(Set.of("top|1|0|1", "top/a|0|1|1", "top/a/b|0|2|1", "top/a/b/d|0|3|1",
            "top/c|0|1|1"),
        rows(top, "SELECT name, isroot, depth, isrolledup FROM summary"));
    assertEquals(5, number(top, "SELECT COUNT(*) FROM treesummary"),
        "one treesummary row per directory of the subtree");
    assertEquals(Set.of("4|5|1"), rows(top,
        "SELECT totsubdirs, totfiles, totlinks FROM treesummary WHERE inode == "
            + "(SELECT inode FROM summary WHERE isroot == 1)"));
    for (String dir : List.of("top/a", "top/a/b", "top/a/b/d", "top/c")) {
      assertTrue(Files.isRegularFile(db(dir)), dir + "/db.db stays on disk");
      assertEquals(1, number(db(dir), "SELECT isrolledup FROM summary WHERE isroot == 1"), dir);
    }

    Walk walk = gufiQueryWalk("top");
    assertEquals(List.of("top"), walk.opened);
    assertEquals(sourceFilesUnder("top"), new TreeSet<>(walk.paths));
    assertEquals(6, walk.paths.size());

    // A query that starts below the top still sees its part, from the children's copies.
    assertEquals(sourceFilesUnder("top/a/b"), new TreeSet<>(gufiQueryWalk("top/a/b").paths));
  }

  @Test
  void rollingUpAgainGivesTheSameDatabases() throws Exception {
    GufiRollup.rollUp(idx.resolve("top/a"));
    Path a = db("top/a");
    List<Set<String>> first = dump(a);
    GufiRollup.rollUp(idx.resolve("top/a"));
    assertEquals(first, dump(a), "old rollup data is cleared before it is written again");
  }

  @Test
  void rpathTakesTheCurrentDirectoryOrItsParentPlusTheRolledUpName() {
    assertEquals("idx/top/a", GufiRollup.rpath("idx/top/a", "a", 0));
    assertEquals("idx/top/a", GufiRollup.rpath("idx/top/a", "a", 1));
    assertEquals("idx/top/a/b/d", GufiRollup.rpath("idx/top/a", "a/b/d", 1));
    assertEquals("idx/top/a/b/d", GufiRollup.rpath("idx/top/a/", "a/b/d", 1));
    assertEquals("/idx/top/a/b", GufiRollup.rpath("/idx/top/a", "a/b", 1));
    assertEquals("a/b", GufiRollup.rpath("a", "a/b", 1), "no parent: the name alone");
    assertEquals("idx/top/a/b/f", GufiRollup.rpath("idx/top/a", "a/b", 1, "f"));
    assertEquals("idx/top/a/f", GufiRollup.rpath("idx/top/a", "ignored", 0, "f"));
  }

  /** Paths gufi_query would print, and the index directories it opened. */
  private record Walk(List<String> paths, List<String> opened) {}

  /**
   * gufi_query's order of work, sequentially: open a directory's db.db, descend only if
   * {@code canrollup, isrolledup FROM summary WHERE isroot == 1} are not both set, and
   * print {@code rpath(sname, sroll, name)} for every {@code vrpentries} row.
   */
  private Walk gufiQueryWalk(String start) throws Exception {
    Walk walk = new Walk(new ArrayList<>(), new ArrayList<>());
    walkFrom(start, walk);
    return walk;
  }

  private void walkFrom(String dir, Walk walk) throws Exception {
    Path db = db(dir);
    walk.opened.add(dir);
    walk.paths.addAll(mappedList(db, "SELECT sname, sroll, name FROM vrpentries",
        r -> GufiRollup.rpath(dir, r[0], Long.parseLong(r[1]), r[2])));
    boolean rolledUp = number(db, "SELECT canrollup != 0 AND isrolledup != 0"
        + " FROM summary WHERE isroot == 1") == 1;
    if (rolledUp) {
      return;
    }
    List<String> children;
    try (Stream<Path> list = Files.list(idx.resolve(dir))) {
      children = list.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
          .map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
    for (String child : children) {
      walkFrom(dir + "/" + child, walk);
    }
  }

  /** Files and symlinks of the source below {@code rel}, as paths relative to src. */
  private Set<String> sourceFilesUnder(String rel) throws IOException {
    try (Stream<Path> walk = Files.walk(src.resolve(rel))) {
      return walk.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
          .map(p -> src.relativize(p).toString())
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private List<Set<String>> dump(Path db) throws SQLException {
    List<Set<String>> out = new ArrayList<>();
    for (String table : List.of("summary", "pentries_rollup", "treesummary", "xattrs_rollup",
        "external_dbs_rollup")) {
      out.add(rows(db, "SELECT * FROM " + table));
    }
    out.add(rows(db, "SELECT type, name FROM sqlite_master"));
    return out;
  }

  private Path db(String rel) {
    return idx.resolve(rel).resolve(DB);
  }

  private interface RowFunction {
    String apply(String[] row);
  }

  private static Set<String> mapped(Path db, String sql, RowFunction f) throws SQLException {
    return new TreeSet<>(mappedList(db, sql, f));
  }

  private static List<String> mappedList(Path db, String sql, RowFunction f)
      throws SQLException {
    List<String> out = new ArrayList<>();
    for (String[] row : query(db, sql)) {
      out.add(f.apply(row));
    }
    return out;
  }

  /** Each row's columns joined with '|'. */
  private static Set<String> rows(Path db, String sql) throws SQLException {
    Set<String> out = new TreeSet<>();
    for (String[] row : query(db, sql)) {
      out.add(String.join("|", row));
    }
    return out;
  }

  private static long number(Path db, String sql) throws SQLException {
    return Long.parseLong(string(db, sql));
  }

  private static String string(Path db, String sql) throws SQLException {
    List<String[]> rows = query(db, sql);
    assertEquals(1, rows.size(), "one row from " + sql + " on " + db);
    return rows.get(0)[0];
  }

  private static List<String[]> query(Path db, String sql) throws SQLException {
    assertTrue(Files.isRegularFile(db), "expected an index database at " + db);
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    List<String[]> out = new ArrayList<>();
    try (Connection c = config.createConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        String[] row = new String[md.getColumnCount()];
        for (int i = 0; i < row.length; i++) {
          Object v = rs.getObject(i + 1);
          row[i] = v instanceof byte[] bytes ? "x'" + HexFormat.of().formatHex(bytes) + "'"
              : String.valueOf(v);
        }
        out.add(row);
      }
    }
    return out;
  }
}
