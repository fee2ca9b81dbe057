package io.tierdex.index;

import static io.tierdex.testing.Shell.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierdex.cli.Tierdex;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import io.tierdex.testing.StatOracle;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GUFI regression-style test: a fixed tree full of awkward cases is indexed, and
 * every row of every db.db is checked against lstat (GNU stat, not tierdex's own code),
 * summary columns included.
 */
class AwkwardTreeIndexTest {
  private static final long MTIME = 1_600_000_000L;
  private static final long FILE_ATIME = 1_600_000_500L;
  /** Directories and links get a future atime so reading them (relatime) never moves it. */
  private static final long DIR_ATIME = 4_102_444_800L;
  private static final String[] QUOTE_NAMES = {"it's.txt", "hash#1.dat", "what?.log",
      "with space.txt", "new\nline.txt", ".hidden"};

  @TempDir static Path tmp;
  static Path src;
  static Path index;

  @BeforeAll
  static void buildAndIndex() throws Exception {
    src = tmp.resolve("src");
    Files.createDirectories(src);
    write(src.resolve("plain.txt"), "hello\n");
    for (String name : QUOTE_NAMES) {
      write(src.resolve(name), "odd name " + name);
    }
    write(src.resolve("db.db"), "a source file called db.db is never indexed");
    sparse(src.resolve("zero.bin"), 0);
    sparse(src.resolve("exactly-1k.bin"), 1024);
    sparse(src.resolve("just-over-1k.bin"), 1025);
    sparse(src.resolve("sparse-5m.bin"), 5L << 20);
    write(src.resolve("hardlink-a"), "two names, one inode");
    Files.createLink(src.resolve("hardlink-b"), src.resolve("hardlink-a"));
    Files.createSymbolicLink(src.resolve("link-to-file"), Path.of("plain.txt"));
    Files.createSymbolicLink(src.resolve("link-to-dir"), Path.of("private"));
    Files.createSymbolicLink(src.resolve("dangling-it's"), Path.of("no/such/it's"));
    run("mkfifo", src.resolve("fifo").toString());

    write(src.resolve("tagged.txt"), "world-readable with xattrs");
    xattr(src.resolve("tagged.txt"), "tier", "fast");
    xattr(src.resolve("tagged.txt"), "owner", "alice");
    xattr(src.resolve("tagged.txt"), "empty", ""); // GUFI drops empty values
    write(src.resolve("secret-tagged.txt"), "owner-only with an xattr");
    xattr(src.resolve("secret-tagged.txt"), "project", "x");
    Files.setPosixFilePermissions(src.resolve("secret-tagged.txt"),
        PosixFilePermissions.fromString("rw-------"));

    Path empty = Files.createDirectory(src.resolve("empty"));
    xattr(empty, "purpose", "scratch");
    Path priv = Files.createDirectory(src.resolve("private"));
    write(priv.resolve("secret.bin"), "x".repeat(3000));
    Files.setPosixFilePermissions(priv, PosixFilePermissions.fromString("rwxr-x---"));
    Path deep = Files.createDirectories(src.resolve("sub/it's deeper"));
    write(deep.resolve("leaf.txt"), "leaf");

    fixTimes(src);
    index = tmp.resolve("index");
    assertEquals(0, Tierdex.execute("index", "--xattrs", "--threads", "2", src.toString(),
        index.toString()));
  }

  @Test
  void everyDirectoryHasItsDbWithExactlyItsFilesAndLinks() throws Exception {
    for (Path dir : sourceDirs()) {
      Path db = indexDirOf(dir).resolve("db.db");
      assertTrue(Files.isRegularFile(db), "missing " + db);
      Map<String, Map<String, Object>> actual = new TreeMap<>();
      for (Map<String, Object> row : IndexDb.rows(db, "SELECT * FROM entries")) {
        actual.put((String) row.get("name"), row);
      }
      Map<String, Map<String, Object>> expected = new TreeMap<>();
      for (Path child : children(dir)) {
        StatOracle st = StatOracle.of(child);
        if (child.getFileName().toString().equals("db.db") || !(st.isFile() || st.isLink())) {
          continue;
        }
        expected.put(quote(child.getFileName().toString()), expectedEntry(child, st));
      }
      assertEquals(expected.keySet(), actual.keySet(), "entries of " + dir);
      for (String name : expected.keySet()) {
        assertRow(expected.get(name), actual.get(name), dir + " entry " + name);
      }
      List<Map<String, Object>> types = IndexDb.rows(db,
          "SELECT DISTINCT typeof(inode) AS i, typeof(xattr_names) AS x FROM entries");
      for (Map<String, Object> t : types) {
        assertEquals("text", t.get("i"), "inode is stored as text");
        assertEquals("blob", t.get("x"), "xattr_names is a blob, never NULL");
      }
    }
  }

  @Test
  void everySummaryColumnMatchesTheDirectoryAndItsEntries() throws Exception {
    for (Path dir : sourceDirs()) {
      List<Map<String, Object>> rows = IndexDb.rows(indexDirOf(dir).resolve("db.db"),
          "SELECT * FROM summary");
      assertEquals(1, rows.size(), "one summary row in " + dir);
      assertRow(expectedSummary(dir), rows.get(0), "summary of " + dir);
    }
  }

  @Test
  void namesWithQuotesAreStoredTheWayGufiStoresThem() throws Exception {
    List<Map<String, Object>> rows = IndexDb.rows(index.resolve("src/db.db"),
        "SELECT name, linkname FROM entries WHERE name LIKE '%''''%'");
    Set<String> names = new HashSet<>();
    rows.forEach(r -> names.add((String) r.get("name")));
    assertEquals(Set.of("it''s.txt", "dangling-it''s"), names);
    assertEquals("it''s deeper", IndexDb.rows(index.resolve("src/sub/it's deeper/db.db"),
        "SELECT name FROM summary").get(0).get("name"));
    assertEquals("no/such/it''s", IndexDb.rows(index.resolve("src/db.db"),
        "SELECT linkname FROM entries WHERE name = 'dangling-it''''s'").get(0).get("linkname"));
  }

  @Test
  void fifosAndSourceDbFilesAreNotStored() throws Exception {
    List<Map<String, Object>> rows = IndexDb.rows(index.resolve("src/db.db"),
        "SELECT name FROM entries WHERE name IN ('fifo', 'db.db')");
    assertTrue(rows.isEmpty(), "stored: " + rows);
  }

  @Test
  void xattrValuesOfWorldReadableEntriesAndDirectoriesAreStored() throws Exception {
    long tagged = StatOracle.of(src.resolve("tagged.txt")).inode();
    long secret = StatOracle.of(src.resolve("secret-tagged.txt")).inode();
    Map<String, String> values = new TreeMap<>();
    for (Map<String, Object> r : IndexDb.rows(index.resolve("src/db.db"),
        "SELECT inode, CAST(name AS TEXT) AS n, CAST(value AS TEXT) AS v FROM xattrs_pwd")) {
      values.put(r.get("inode") + " " + r.get("n"), (String) r.get("v"));
    }
    assertEquals(Map.of(tagged + " user.owner", "alice", tagged + " user.tier", "fast"), values,
        "values of the 0644 file only; the 0600 file's value stays private");
    List<Map<String, Object>> dirX = IndexDb.rows(index.resolve("src/empty/db.db"),
        "SELECT CAST(name AS TEXT) AS n, CAST(value AS TEXT) AS v FROM xattrs_pwd");
    assertEquals(List.of(Map.of("n", "user.purpose", "v", "scratch")), dirX);
    assertEquals(secret, StatOracle.of(src.resolve("secret-tagged.txt")).inode());
  }

  @Test
  void indexDirectoriesTakeTheSourceModeAndDbFilesAre0664MinusUmask() throws Exception {
    for (Path dir : sourceDirs()) {
      Path idx = indexDirOf(dir);
      assertEquals(StatOracle.of(dir).mode() & 07777, StatOracle.of(idx).mode() & 07777,
          "mode of " + idx);
      assertEquals(StatOracle.of(dir).uid(), StatOracle.of(idx).uid(), "owner of " + idx);
    }
    assertEquals(0750, StatOracle.of(index.resolve("src/private")).mode() & 07777);
    long umask = Long.parseLong(run("sh", "-c", "umask").strip(), 8);
    assertEquals(0664 & ~umask, StatOracle.of(index.resolve("src/db.db")).mode() & 07777);
  }

  @Test
  void theIndexParentGetsAnEmptyDbAndNothingIsLeftOver() throws Exception {
    Path parentDb = index.resolve("db.db");
    for (String table : List.of("entries", "summary", "pentries_rollup", "xattrs_pwd")) {
      assertEquals(0L, IndexDb.rows(parentDb, "SELECT count(*) AS n FROM " + table).get(0)
          .get("n") instanceof Number n ? n.longValue() : -1L, table);
    }
    try (Stream<Path> s = Files.list(index)) {
      assertEquals(Set.of("db.db", "src", IndexLock.FILE),
          s.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
    }
  }

  // ---- expected values, computed from the oracle ----

  private static Map<String, Object> expectedEntry(Path child, StatOracle st) throws IOException {
    Map<String, Object> e = new TreeMap<>();
    e.put("name", quote(child.getFileName().toString()));
    e.put("type", st.isFile() ? "f" : "l");
    e.put("inode", Long.toString(st.inode()));
    e.put("mode", st.mode());
    e.put("nlink", st.nlink());
    e.put("uid", st.uid());
    e.put("gid", st.gid());
    e.put("size", st.size());
    e.put("blksize", st.blksize());
    e.put("blocks", st.blocks());
    e.put("atime", st.atime());
    e.put("mtime", st.mtime());
    e.put("ctime", st.ctime());
    e.put("linkname", st.isLink() ? quote(Files.readSymbolicLink(child).toString()) : "");
    e.put("xattr_names", xattrNames(child, st));
    e.put("crtime", 0L);
    for (String c : List.of("ossint1", "ossint2", "ossint3", "ossint4")) {
      e.put(c, 0L);
    }
    e.put("osstext1", "");
    e.put("osstext2", "");
    return e;
  }

  private static Map<String, Object> expectedSummary(Path dir) throws Exception {
    StatOracle d = StatOracle.of(dir);
    Map<String, Object> s = new TreeMap<>();
    s.put("name", quote(dir.getFileName().toString()));
    s.put("type", "d");
    s.put("inode", Long.toString(d.inode()));
    s.put("mode", d.mode());
    s.put("nlink", d.nlink());
    s.put("uid", d.uid());
    s.put("gid", d.gid());
    s.put("size", d.size());
    s.put("blksize", d.blksize());
    s.put("blocks", d.blocks());
    s.put("atime", d.atime());
    s.put("mtime", d.mtime());
    s.put("ctime", d.ctime());
    s.put("linkname", "");
    s.put("xattr_names", xattrNames(dir, d));
    s.put("crtime", 0L);
    long files = 0, links = 0, zero = 0, ltk = 0, mtk = 0, ltm = 0, mtm = 0, mtg = 0, mtt = 0;
    long totsize = 0, totxattr = 0;
    long[] uid = range(), gid = range(), size = range(), blocks = range(), ctime = range();
    long[] mtime = range(), atime = range(), crtime = range(), oss = range();
    for (Path child : children(dir)) {
      StatOracle st = StatOracle.of(child);
      if (child.getFileName().toString().equals("db.db") || !(st.isFile() || st.isLink())) {
        continue;
      }
      if (st.isFile()) {
        files++;
        size = acc(size, st.size());
        blocks = acc(blocks, st.blocks());
        zero += st.size() == 0 ? 1 : 0;
        ltk += st.size() <= 1024 ? 1 : 0;
        mtk += st.size() > 1024 ? 1 : 0;
        ltm += st.size() <= 1048576 ? 1 : 0;
        mtm += st.size() > 1048576 ? 1 : 0;
        mtg += st.size() > 1073741824L ? 1 : 0;
        mtt += st.size() > 1099511627776L ? 1 : 0;
        totsize += st.size();
      } else {
        links++;
      }
      uid = acc(uid, st.uid());
      gid = acc(gid, st.gid());
      ctime = acc(ctime, st.ctime());
      mtime = acc(mtime, st.mtime());
      atime = acc(atime, st.atime());
      crtime = acc(crtime, 0);
      oss = acc(oss, 0);
      totxattr += xattrs(child, st).size();
    }
    s.put("totfiles", files);
    s.put("totlinks", links);
    s.put("minuid", uid[0]);
    s.put("maxuid", uid[1]);
    s.put("mingid", gid[0]);
    s.put("maxgid", gid[1]);
    s.put("minsize", size[0]);
    s.put("maxsize", size[1]);
    s.put("totzero", zero);
    s.put("totltk", ltk);
    s.put("totmtk", mtk);
    s.put("totltm", ltm);
    s.put("totmtm", mtm);
    s.put("totmtg", mtg);
    s.put("totmtt", mtt);
    s.put("totsize", totsize);
    putTriple(s, "ctime", ctime);
    putTriple(s, "mtime", mtime);
    putTriple(s, "atime", atime);
    putTriple(s, "blocks", blocks);
    s.put("totxattr", totxattr);
    s.put("depth", 0L);
    putTriple(s, "crtime", crtime);
    for (int i = 1; i <= 4; i++) {
      putTriple(s, "ossint" + i, oss);
    }
    s.put("rectype", 0L);
    s.put("pinode", dir.equals(src) ? "0" : Long.toString(StatOracle.of(dir.getParent()).inode()));
    s.put("isroot", 1L);
    s.put("canrollup", 0L);
    s.put("isrolledup", 0L);
    return s;
  }

  /** min, max, total with GUFI's sentinels for "nothing seen". */
  private static long[] range() {
    return new long[] {Long.MAX_VALUE, Long.MIN_VALUE, 0};
  }

  private static long[] acc(long[] r, long v) {
    return new long[] {Math.min(r[0], v), Math.max(r[1], v), r[2] + v};
  }

  private static void putTriple(Map<String, Object> s, String col, long[] r) {
    s.put("min" + col, r[0]);
    s.put("max" + col, r[1]);
    s.put("tot" + col, r[2]);
  }

  private static void assertRow(Map<String, Object> expected, Map<String, Object> actual,
      String what) {
    assertEquals(expected.keySet(), new TreeMap<>(actual).keySet(), what + ": columns");
    for (String col : expected.keySet()) {
      Object e = expected.get(col);
      Object a = actual.get(col);
      if (col.equals("xattr_names")) {
        assertEquals(e, nameSet((byte[]) a), what + ": " + col);
      } else if (e instanceof Long) {
        assertEquals(e, ((Number) a).longValue(), what + ": " + col);
      } else {
        assertEquals(e, a, what + ": " + col);
      }
    }
  }

  /** xattr_names as the set of names; each must end with 0x1F (list order is the FS's). */
  private static Set<String> nameSet(byte[] blob) {
    Set<String> names = new HashSet<>();
    if (blob.length == 0) {
      return names;
    }
    assertEquals(0x1F, blob[blob.length - 1], "xattr_names ends with 0x1F");
    for (String n : new String(blob, StandardCharsets.UTF_8).split("\u001F")) {
      names.add(n);
    }
    return names;
  }

  private static Set<String> xattrNames(Path p, StatOracle st) throws IOException {
    return new HashSet<>(xattrs(p, st));
  }

  /** user.* attributes with non-empty values, read through the JDK (links have none). */
  private static List<String> xattrs(Path p, StatOracle st) throws IOException {
    List<String> out = new ArrayList<>();
    if (st.isLink()) {
      return out;
    }
    UserDefinedFileAttributeView v = Files.getFileAttributeView(p,
        UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    for (String n : v.list()) {
      if (v.size(n) > 0) {
        out.add("user." + n);
      }
    }
    return out;
  }

  // ---- the tree ----

  private static List<Path> sourceDirs() throws IOException {
    try (Stream<Path> s = Files.walk(src)) {
      return s.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
    }
  }

  private static List<Path> children(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  private static Path indexDirOf(Path sourceDir) {
    return index.resolve("src").resolve(src.relativize(sourceDir).toString());
  }

  private static String quote(String name) {
    return name.replace("'", "''");
  }

  private static void write(Path p, String text) throws IOException {
    Files.writeString(p, text);
  }

  private static void sparse(Path p, long size) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
      f.setLength(size);
    }
  }

  private static void xattr(Path p, String name, String value) throws IOException {
    Files.getFileAttributeView(p, UserDefinedFileAttributeView.class)
        .write(name, ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8)));
  }

  /** Fixed times everywhere, deepest first so setting a child does not move its parent. */
  private static void fixTimes(Path top) throws Exception {
    List<Path> all;
    try (Stream<Path> s = Files.walk(top)) {
      all = new ArrayList<>(s.toList());
    }
    all.sort((a, b) -> b.getNameCount() - a.getNameCount());
    for (Path p : all) {
      if (Files.isSymbolicLink(p) || p.getFileName().toString().equals("fifo")) {
        // touch never opens the FIFO; links get the future atime too, as readlink()
        // would otherwise move it under relatime.
        run("touch", "-h", "-m", "-d", "@" + MTIME, p.toString());
        run("touch", "-h", "-a", "-d", "@" + DIR_ATIME, p.toString());
      } else {
        boolean dir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
        Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
            .setTimes(FileTime.fromMillis(MTIME * 1000),
                FileTime.fromMillis((dir ? DIR_ATIME : FILE_ATIME) * 1000), null);
      }
    }
  }
}
