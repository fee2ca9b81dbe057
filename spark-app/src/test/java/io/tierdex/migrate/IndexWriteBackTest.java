package io.tierdex.migrate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierdex.migrate.IndexWriteBack.Move;
import io.tierdex.migrate.IndexWriteBack.Result;
import io.tierdex.snapshot.RunId;
import io.tierdex.snapshot.SnapshotTable;
import io.tierdex.snapshot.StateDir;
import io.tierdex.snapshot.TierState;
import io.tierdex.testing.GufiRollup;
import io.tierdex.testing.Shell;
import io.tierdex.testing.SharedSpark;
import io.tierdex.testing.TierdexCli;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

/**
 * Moves done for real (copy, then rename over the original: a new inode) in a tree indexed
 * by tierdex index, written back with {@link IndexWriteBack}, and checked by opening the
 * db.db files with SQLite and by reading the index through the gufi source and the
 * snapshot/diff commands.
 */
class IndexWriteBackTest {
  static final StructType MOVES = new StructType()
      .add("path", DataTypes.StringType).add("new_inode", DataTypes.StringType)
      .add("ctime", DataTypes.LongType).add("pool_id", DataTypes.IntegerType)
      .add("pool", DataTypes.StringType).add("run", DataTypes.StringType)
      .add("moved_at", DataTypes.LongType);
  static final String RUN = "20260102T030405Z-1a2b";
  static final long MOVED_AT = 1_767_322_800L;

  @TempDir Path tmp;
  Path top;
  Path index;

  /** top/{cold.dat, it's cold.dat, keep.txt, link -> keep.txt, sub/{s.dat, deep/d.dat}}. */
  void buildAndIndex(String... extraIndexArgs) throws Exception {
    top = tmp.resolve("src/top");
    Files.createDirectories(top.resolve("sub/deep"));
    write("cold.dat", 3000);
    write("it's cold.dat", 5);
    write("keep.txt", 10);
    write("sub/s.dat", 2000);
    write("sub/deep/d.dat", 1);
    Files.createSymbolicLink(top.resolve("link"), Path.of("keep.txt"));
    List<Object> args = new ArrayList<>(List.of("index", "--threads", "2"));
    args.addAll(List.of(extraIndexArgs));
    args.addAll(List.of(top, tmp.resolve("idx")));
    TierdexCli.Run r = TierdexCli.run(args.toArray());
    assertEquals(0, r.exit(), r.describe());
    index = tmp.resolve("idx/top");
  }

  void write(String rel, int bytes) throws IOException {
    Files.write(top.resolve(rel), "x".repeat(bytes).getBytes(StandardCharsets.US_ASCII));
    Files.setLastModifiedTime(top.resolve(rel), FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
  }

  /** Moves {@code rel} as the copy mover does and returns the move record for it. */
  Move moveForReal(String rel, int poolId, String pool) throws IOException {
    Path file = top.resolve(rel);
    Path copy = file.resolveSibling(".tierdex-move." + file.getFileName());
    Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES);
    UserDefinedFileAttributeView from = Files.getFileAttributeView(file,
        UserDefinedFileAttributeView.class);
    UserDefinedFileAttributeView to = Files.getFileAttributeView(copy,
        UserDefinedFileAttributeView.class);
    for (String name : from.list()) {
      ByteBuffer value = ByteBuffer.allocate(from.size(name));
      from.read(name, value);
      value.flip();
      to.write(name, value);
    }
    long oldInode = inode(file);
    Files.move(copy, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    assertNotEquals(oldInode, inode(file), "the move gave " + rel + " a new inode");
    FileTime ctime = (FileTime) Files.getAttribute(file, "unix:ctime");
    return new Move(file.toString(), Long.toString(inode(file)), ctime.to(TimeUnit.SECONDS),
        poolId, pool, RUN, MOVED_AT);
  }

  static long inode(Path p) throws IOException {
    return (Long) Files.getAttribute(p, "unix:ino");
  }

  Path db(String rel) {
    return rel.isEmpty() ? index.resolve("db.db") : index.resolve(rel).resolve("db.db");
  }

  /** Rows of {@code sql}, each column -> value, blobs as hex so rows compare with equals. */
  static List<Map<String, Object>> rows(Path db, String sql) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    try (Connection c = config.createConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      List<Map<String, Object>> out = new ArrayList<>();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          Object v = rs.getObject(i);
          row.put(md.getColumnLabel(i), v instanceof byte[] b ? HexFormat.of().formatHex(b) : v);
        }
        out.add(row);
      }
      return out;
    }
  }

  static Map<String, Map<String, Object>> entriesByName(Path db) throws SQLException {
    Map<String, Map<String, Object>> out = new TreeMap<>();
    for (Map<String, Object> r : rows(db, "SELECT * FROM entries")) {
      out.put((String) r.get("name"), r);
    }
    return out;
  }

  static Map<String, Object> summary(Path db) throws SQLException {
    List<Map<String, Object>> s = rows(db, "SELECT * FROM summary");
    assertEquals(1, s.size(), "one summary row in " + db);
    return s.get(0);
  }

  /** {@code before} with the columns a move sets taken from {@code m}. */
  static Map<String, Object> movedRow(Map<String, Object> before, Move m) {
    Map<String, Object> expected = new LinkedHashMap<>(before);
    expected.put("inode", m.newInode());
    expected.put("ctime", m.ctime());
    expected.put("ossint1", (long) m.poolId());
    expected.put("ossint2", m.movedAt());
    expected.put("osstext1", m.pool());
    expected.put("osstext2", m.run());
    return expected;
  }

  /** Compares with longs for every integer SQLite returned (it hands back Integer or Long). */
  static Map<String, Object> normalized(Map<String, Object> row) {
    Map<String, Object> out = new LinkedHashMap<>();
    row.forEach((k, v) -> out.put(k, v instanceof Integer i ? Long.valueOf(i) : v));
    return out;
  }

  @Test
  void exactlyTheMovedRowsGetTheNewInodeCtimeAndTieringColumns() throws Exception {
    buildAndIndex();
    Map<String, Map<String, Object>> before = entriesByName(db(""));
    Map<String, Object> summaryBefore = summary(db(""));
    byte[] subBefore = Files.readAllBytes(db("sub"));
    Thread.sleep(1100); // ctime has 1 s resolution: the moves must change it

    Move cold = moveForReal("cold.dat", 2, "slow");
    Move quoted = moveForReal("it's cold.dat", 2, "slow");
    Result r = new IndexWriteBack(index.toString(), top.toString())
        .apply(top.toString(), List.of(cold, quoted));

    assertEquals(new Result(1, 2, List.of()), r);
    Map<String, Map<String, Object>> after = entriesByName(db(""));
    assertEquals(before.keySet(), after.keySet());
    for (String name : before.keySet()) {
      Map<String, Object> expected = switch (name) {
        case "cold.dat" -> movedRow(before.get(name), cold);
        case "it''s cold.dat" -> movedRow(before.get(name), quoted); // stored %q-quoted
        default -> before.get(name);
      };
      assertEquals(normalized(expected), normalized(after.get(name)), "row " + name);
    }
    assertNotEquals(before.get("cold.dat").get("ctime"), after.get("cold.dat").get("ctime"));
    assertArrayEquals(subBefore, Files.readAllBytes(db("sub")), "sub/db.db untouched");

    // The summary's min/max/tot over ctime and ossint1..4 follow the entries; the rest stays.
    Map<String, Object> expected = new LinkedHashMap<>(summaryBefore);
    for (String c : List.of("ctime", "ossint1", "ossint2", "ossint3", "ossint4")) {
      List<Long> values = after.values().stream().map(e -> ((Number) e.get(c)).longValue())
          .toList();
      expected.put("min" + c, values.stream().mapToLong(Long::longValue).min().orElseThrow());
      expected.put("max" + c, values.stream().mapToLong(Long::longValue).max().orElseThrow());
      expected.put("tot" + c, values.stream().mapToLong(Long::longValue).sum());
    }
    Map<String, Object> summaryAfter = normalized(summary(db("")));
    assertEquals(normalized(expected), summaryAfter);
    assertEquals(List.of(0L, 2L, 4L), List.of(summaryAfter.get("minossint1"),
        summaryAfter.get("maxossint1"), summaryAfter.get("totossint1")));
    assertEquals(MOVED_AT, summaryAfter.get("maxossint2"));
    assertEquals(Math.max(cold.ctime(), quoted.ctime()), summaryAfter.get("maxctime"));
  }

  @Test
  void aMoveWithNoFileRowIsAProblemAndTheOthersInItsDirectoryAreStillWritten()
      throws Exception {
    buildAndIndex();
    Map<String, Map<String, Object>> before = entriesByName(db(""));
    Move cold = moveForReal("cold.dat", 2, "slow");
    Move keep = moveForReal("keep.txt", 3, "archive");
    Move earlier = new Move(keep.path(), "1", 1, 9, "old", "old-run", MOVED_AT - 100);
    Move ghost = new Move(top.resolve("no-such-file").toString(), "77", 5, 2, "slow", RUN,
        MOVED_AT);
    Move link = new Move(top.resolve("link").toString(), "78", 5, 2, "slow", RUN, MOVED_AT);

    Result r = new IndexWriteBack(index.toString(), top.toString())
        .apply(top.toString(), List.of(cold, ghost, keep, earlier, link));

    assertEquals(1, r.directories());
    assertEquals(2, r.rows());
    assertEquals(2, r.problems().size(), r.problems().toString());
    assertTrue(r.problems().get(0).startsWith(db("") + ": no regular-file row for "
        + ghost.path()), r.problems().toString());
    assertTrue(r.problems().get(1).contains(link.path()), r.problems().toString());
    Map<String, Map<String, Object>> after = entriesByName(db(""));
    assertEquals(normalized(movedRow(before.get("cold.dat"), cold)),
        normalized(after.get("cold.dat")));
    // The same file twice: the later move is what is on disk.
    assertEquals(normalized(movedRow(before.get("keep.txt"), keep)),
        normalized(after.get("keep.txt")));
    assertEquals(before.get("link"), after.get("link"), "a symlink row is never rewritten");
    assertEquals(before.keySet(), after.keySet(), "no row added for the unknown name");
  }

  @Test
  void aMissingDbIsAProblemAndIsNotCreated() throws Exception {
    buildAndIndex();
    Files.delete(db("sub"));
    Move s = moveForReal("sub/s.dat", 2, "slow");
    Files.createDirectory(top.resolve("new"));
    write("new/n.dat", 4);
    Move n = moveForReal("new/n.dat", 2, "slow");
    IndexWriteBack writer = new IndexWriteBack(index.toString(), top.toString());

    Result rs = writer.apply(top.resolve("sub").toString(), List.of(s));
    Result rn = writer.apply(top.resolve("new").toString(), List.of(n));

    assertEquals(0, rs.rows() + rn.rows());
    assertEquals(1, rs.problems().size(), rs.problems().toString());
    assertTrue(rs.problems().get(0).startsWith(db("sub") + ": no index database for "
        + top.resolve("sub")) && rs.problems().get(0).contains(s.path()), rs.problems().get(0));
    assertTrue(rn.problems().get(0).startsWith(db("new") + ": no index database")
        && rn.problems().get(0).contains(n.path()), rn.problems().toString());
    assertFalse(Files.exists(db("sub")), "no empty db.db created");
    assertFalse(Files.exists(index.resolve("new")), "no index directory created");
  }

  @Test
  void aReadOnlyDbIsAProblemAndStaysAsItWas() throws Exception {
    buildAndIndex();
    Move cold = moveForReal("cold.dat", 2, "slow");
    byte[] before = Files.readAllBytes(db(""));
    Result r;
    if (Shell.isRoot()) { // root writes 0444 files; the immutable flag stops even root
      Process p = new ProcessBuilder("chattr", "+i", db("").toString()).start();
      Assumptions.assumeTrue(p.waitFor() == 0, "chattr +i failed: no immutable flag here");
      try {
        r = new IndexWriteBack(index.toString(), top.toString())
            .apply(top.toString(), List.of(cold));
      } finally {
        Shell.run("chattr", "-i", db("").toString());
      }
    } else {
      Files.setPosixFilePermissions(db(""), PosixFilePermissions.fromString("r--r--r--"));
      r = new IndexWriteBack(index.toString(), top.toString())
          .apply(top.toString(), List.of(cold));
    }

    assertEquals(0, r.rows());
    assertEquals(1, r.problems().size(), r.problems().toString());
    String line = r.problems().get(0);
    assertTrue(line.startsWith(db("") + ": not updated, ") && line.contains("readonly")
        && line.contains(cold.path()), line);
    assertArrayEquals(before, Files.readAllBytes(db("")));
    assertFalse(Files.exists(index.resolve("db.db-journal")), "no journal left behind");
  }

  @Test
  void aLockedDbIsAProblemAfterTheBusyTimeoutThenWritesOnceFree() throws Exception {
    buildAndIndex();
    Move cold = moveForReal("cold.dat", 2, "slow");
    IndexWriteBack writer = new IndexWriteBack(index.toString(), top.toString(),
        Duration.ofMillis(300));
    Result locked;
    long waited;
    try (Connection holder = new SQLiteConfig().createConnection("jdbc:sqlite:" + db(""));
        Statement s = holder.createStatement()) {
      s.execute("BEGIN EXCLUSIVE");
      long start = System.nanoTime();
      locked = writer.apply(top.toString(), List.of(cold));
      waited = (System.nanoTime() - start) / 1_000_000;
      s.execute("ROLLBACK");
    }
    assertEquals(0, locked.rows());
    assertEquals(1, locked.problems().size(), locked.problems().toString());
    String line = locked.problems().get(0);
    assertTrue(line.startsWith(db("") + ": not updated, ") && line.contains("locked")
        && line.contains("300 ms") && line.contains(cold.path()), line);
    assertTrue(waited >= 250, "waited " + waited + " ms for the lock");

    assertEquals(new Result(1, 1, List.of()), writer.apply(top.toString(), List.of(cold)));
    assertEquals(cold.newInode(), entriesByName(db("")).get("cold.dat").get("inode"));
  }

  @Test
  void aPathOutsideTheSourceIsAProblemNotAnUpdate() throws Exception {
    buildAndIndex();
    byte[] before = Files.readAllBytes(db(""));
    List<String> outside = List.of(
        top.resolveSibling("top-other").resolve("cold.dat").toString(),
        top + "/../elsewhere/cold.dat",
        "top/cold.dat",
        top.toString());
    List<Move> moves = outside.stream()
        .map(p -> new Move(p, "99", 5, 2, "slow", RUN, MOVED_AT)).toList();

    Result r = new IndexWriteBack(index.toString(), top.toString())
        .apply(top.toString(), moves);

    assertEquals(0, r.rows());
    assertEquals(outside.size(), r.problems().size(), r.problems().toString());
    for (int i = 0; i < outside.size(); i++) {
      assertTrue(r.problems().get(i).startsWith(outside.get(i) + ": outside the source"
          + " directory " + top), r.problems().get(i));
    }
    assertArrayEquals(before, Files.readAllBytes(db("")));
  }

  @Test
  void problemsAreBoundedWithACountOfTheRest() throws Exception {
    buildAndIndex();
    List<Move> ghosts = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      ghosts.add(new Move(top.resolve("ghost-" + i).toString(), "9", 1, 2, "slow", RUN, 1));
    }
    Result r = new IndexWriteBack(index.toString(), top.toString())
        .apply(top.toString(), ghosts);
    assertEquals(WriteBackTally.SHOWN + 1, r.problems().size());
    assertTrue(r.problems().get(0).contains(ghosts.get(0).path()), r.problems().get(0));
    assertEquals("... and 5 more problems", r.problems().get(WriteBackTally.SHOWN));
  }

  @Test
  void xattrRowsFollowTheFileToItsNewInode() throws Exception {
    top = tmp.resolve("src/top");
    Files.createDirectories(top);
    Path f = top.resolve("tagged.dat");
    Files.writeString(f, "data");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
    try {
      Files.getFileAttributeView(f, UserDefinedFileAttributeView.class)
          .write("project", StandardCharsets.UTF_8.encode("alpha"));
    } catch (IOException | UnsupportedOperationException e) {
      Assumptions.abort("no user xattrs on " + tmp + ": " + e);
    }
    Files.writeString(top.resolve("plain.dat"), "plain");
    TierdexCli.Run run = TierdexCli.run("index", "--xattrs", top, tmp.resolve("idx"));
    assertEquals(0, run.exit(), run.describe());
    index = tmp.resolve("idx/top");
    String oldInode = Long.toString(inode(f));
    String sql = "SELECT inode, CAST(name AS TEXT) AS name, CAST(value AS TEXT) AS value"
        + " FROM xattrs_pwd WHERE CAST(name AS TEXT) = 'user.project'";
    assertEquals(List.of(Map.of("inode", oldInode, "name", "user.project", "value", "alpha")),
        rows(db(""), sql), "the indexer stored the xattr");

    Move m = moveForReal("tagged.dat", 2, "slow");
    Result r = new IndexWriteBack(index.toString(), top.toString())
        .apply(top.toString(), List.of(m));

    assertEquals(new Result(1, 1, List.of()), r);
    assertEquals(List.of(Map.of("inode", m.newInode(), "name", "user.project", "value", "alpha")),
        rows(db(""), sql));
  }

  @Test
  void aRolledUpAncestorIsReportedBecauseReadersStillSeeItsOldCopy() throws Exception {
    buildAndIndex();
    GufiRollup.rollUp(index.resolve("sub"));
    IndexWriteBack writer = new IndexWriteBack(index.toString(), top.toString());
    Move deep = moveForReal("sub/deep/d.dat", 2, "slow");
    Move sub = moveForReal("sub/s.dat", 2, "slow");

    Result underRollup = writer.apply(top.resolve("sub/deep").toString(), List.of(deep));
    Result atRollup = writer.apply(top.resolve("sub").toString(), List.of(sub));

    assertEquals(1, underRollup.rows());
    assertEquals(deep.newInode(), entriesByName(db("sub/deep")).get("d.dat").get("inode"));
    assertEquals(1, underRollup.problems().size(), underRollup.problems().toString());
    assertTrue(underRollup.problems().get(0).startsWith(db("sub") + ": rolled up")
        && underRollup.problems().get(0).contains(deep.path()), underRollup.problems().get(0));
    assertEquals(new Result(1, 1, List.of()), atRollup, "sub's own rows are read from sub");

    // Why it is a problem: the gufi source reads d.dat from sub's rolled-up copy.
    Map<String, Row> seen = snapshotByPath(SharedSpark.get());
    assertNotEquals(deep.newInode(), seen.get(deep.path()).getAs("inode"));
    assertEquals(sub.newInode(), seen.get(sub.path()).getAs("inode"));
  }

  Map<String, Row> snapshotByPath(SparkSession spark) {
    Map<String, Row> out = new TreeMap<>();
    for (Row row : SnapshotTable.fromIndex(spark, index.toString(), top.toString(), true)
        .collectAsList()) {
      out.put(row.getAs("path"), row);
    }
    return out;
  }

  Dataset<Row> movesFrame(SparkSession spark, List<Move> moves) {
    List<Row> rows = moves.stream().map(m -> RowFactory.create(m.path(), m.newInode(),
        m.ctime(), m.poolId(), m.pool(), m.run(), m.movedAt())).toList();
    return spark.createDataFrame(rows, MOVES);
  }

  @Test
  void sparkWriteBackUpdatesEveryDirectoryAndTheGufiSourceReadsTheNewInodes() throws Exception {
    buildAndIndex();
    SparkSession spark = SharedSpark.get();
    Map<String, Row> before = snapshotByPath(spark);
    List<Move> moved = List.of(moveForReal("cold.dat", 2, "slow"),
        moveForReal("it's cold.dat", 2, "slow"), moveForReal("sub/s.dat", 3, "archive"),
        moveForReal("sub/deep/d.dat", 2, "slow"));
    List<Move> all = new ArrayList<>(moved);
    all.add(new Move(top.resolve("sub/vanished.dat").toString(), "5", 1, 2, "slow", RUN, 1));
    all.add(new Move("/elsewhere/x.dat", "6", 1, 2, "slow", RUN, 1));

    Result r = IndexWriteBack.writeBack(spark, movesFrame(spark, all), index.toString(),
        top.toString());

    assertEquals(3, r.directories(), r.toString());
    assertEquals(4, r.rows(), r.toString());
    assertEquals(2, r.problems().size(), r.toString());
    assertTrue(r.problems().stream().anyMatch(l -> l.startsWith(db("sub")
        + ": no regular-file row for " + top.resolve("sub/vanished.dat"))), r.toString());
    assertTrue(r.problems().stream().anyMatch(l -> l.startsWith("/elsewhere/x.dat: outside")),
        r.toString());

    Map<String, Row> after = snapshotByPath(spark);
    assertEquals(before.keySet(), after.keySet());
    Map<String, Move> byPath = new TreeMap<>();
    moved.forEach(m -> byPath.put(m.path(), m));
    for (String path : before.keySet()) {
      Row a = after.get(path);
      Move m = byPath.get(path);
      if (m == null) {
        assertEquals(before.get(path), a, path + " unchanged");
      } else {
        assertEquals(List.of(m.newInode(), m.ctime(), (long) m.poolId(), m.movedAt(), m.pool(),
                m.run()),
            List.of(a.getAs("inode"), a.getAs("ctime"), a.getAs("ossint1"), a.getAs("ossint2"),
                a.getAs("osstext1"), a.getAs("osstext2")), path);
        assertEquals(before.get(path).getAs("size"), (Object) a.getAs("size"), path);
      }
    }
    assertTrue(after.containsKey(top.resolve("it's cold.dat").toString()), "name read unquoted");
  }

  @Test
  void sparkWriteBackReportsBadInputInsteadOfThrowing() throws Exception {
    buildAndIndex();
    SparkSession spark = SharedSpark.get();
    Dataset<Row> noPool = movesFrame(spark, List.of(new Move(top.resolve("cold.dat")
        .toString(), "5", 1, 2, "slow", RUN, 1))).drop("pool");
    byte[] before = Files.readAllBytes(db(""));

    Result missingColumn = IndexWriteBack.writeBack(spark, noPool, index.toString(),
        top.toString());
    Result noIndex = IndexWriteBack.writeBack(spark, movesFrame(spark, List.of()),
        tmp.resolve("no-index").toString(), top.toString());

    assertEquals(0, missingColumn.rows());
    assertEquals(1, missingColumn.problems().size(), missingColumn.toString());
    assertTrue(missingColumn.problems().get(0).startsWith("index write-back stopped: ")
        && missingColumn.problems().get(0).contains("pool"), missingColumn.toString());
    assertEquals(List.of(tmp.resolve("no-index") + ": the index root is not a directory;"
        + " no move recorded"), noIndex.problems());
    assertArrayEquals(before, Files.readAllBytes(db("")));
  }

  @Test
  void theNextSnapshotFromTheSameIndexDiffsTheMovedFileAsMigrated() throws Exception {
    buildAndIndex();
    SparkSession spark = SharedSpark.get();
    Path stateDir = tmp.resolve("state");
    snapshot(stateDir);
    Move cold = moveForReal("cold.dat", 2, "slow");
    Path file = Path.of(cold.path());
    StateDir state = StateDir.open(stateDir.toString(), new Configuration());
    new TierState(spark, state).record(RunId.startingAt(Instant.now()), spark.createDataFrame(
        List.of(RowFactory.create(cold.path(), cold.newInode(), Files.size(file),
            Files.getLastModifiedTime(file).to(TimeUnit.SECONDS), "slow")), TierState.SCHEMA));

    Result r = IndexWriteBack.writeBack(spark, movesFrame(spark, List.of(cold)),
        index.toString(), top.toString());
    assertEquals(new Result(1, 1, List.of()), r);
    snapshot(stateDir);
    TierdexCli.Run diff = TierdexCli.run("diff", "--state", stateDir);
    assertEquals(0, diff.exit(), diff.describe());
    Matcher m = Pattern.compile("diff (\\S+): ").matcher(diff.out());
    assertTrue(m.find(), diff.describe());

    Map<String, String> changed = new TreeMap<>();
    for (Row row : spark.read().parquet(state.output(new RunId(m.group(1)), "changes")
        .toString()).collectAsList()) {
      if (!"UNCHANGED".equals(row.getAs("kind"))) {
        changed.put(row.getAs("path"), row.getAs("kind"));
      }
    }
    assertEquals(Map.of(cold.path(), "MIGRATED"), changed, diff.describe());
  }

  void snapshot(Path state) {
    TierdexCli.Run r = TierdexCli.run("snapshot", "--state", state, "--buckets", "2",
        "--source", top, index);
    assertEquals(0, r.exit(), r.describe());
  }
}
