package io.tierdex.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tierdex.bench.FlatEntries;
import io.tierdex.testing.Shell;
import io.tierdex.testing.SharedSpark;
import io.tierdex.testing.TierdexCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hand-made tree changed in every way a diff must tell apart, indexed with tierdex
 * index before and after, snapshotted and diffed with the real commands; every change
 * row is checked, and so is agreement with sqldiff over flattened copies.
 */
class SnapshotDiffTest {
  @TempDir static Path tmp;
  static SparkSession spark;
  static Path top;
  static String root;
  static StateDir state;
  static RunId before;
  static RunId after;
  static RunId diff;
  static boolean inodeReused;

  @BeforeAll
  static void buildChangeAndDiff() throws Exception {
    spark = SharedSpark.get();
    top = tmp.resolve("src/top");
    root = top.toString();
    for (String d : List.of("a", "b", "gone/sub")) {
      Files.createDirectories(top.resolve(d));
    }
    for (String f : List.of("keep.txt", "grow.txt", "chmod.txt", "a/move-me.dat",
        "a/same-dir-old", "replace.txt", "gone/x1", "gone/x2", "gone/sub/x3", "victim.txt",
        "b/stay.txt")) {
      Files.writeString(top.resolve(f), "old " + f + "\n");
      Files.setLastModifiedTime(top.resolve(f), FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
    }
    Files.createSymbolicLink(top.resolve("link"), Path.of("keep.txt"));
    Path state = tmp.resolve("state");
    index("idx-before");
    before = snapshot("idx-before", state);

    Thread.sleep(1100); // ctime has 1 s resolution in the index
    // ext4 hands out the lowest free inode of the group: new files soon get the victim's.
    long victim = inode(top.resolve("victim.txt"));
    Files.delete(top.resolve("victim.txt"));
    List<Path> tries = new ArrayList<>();
    for (int i = 0; i < 1000 && !inodeReused; i++) {
      Path t = top.resolve("reuse-try-" + i);
      Files.writeString(t, "old victim.txt\n"); // the victim's size, a new mtime
      inodeReused = inode(t) == victim;
      tries.add(t);
    }
    Files.move(tries.remove(tries.size() - 1), top.resolve("reused.txt"));
    for (Path t : tries) {
      Files.delete(t);
    }
    Files.writeString(top.resolve("grow.txt"), "more\n", java.nio.file.StandardOpenOption.APPEND);
    Files.setPosixFilePermissions(top.resolve("chmod.txt"), PosixFilePermissions.fromString("rw-------"));
    Files.move(top.resolve("a/move-me.dat"), top.resolve("b/moved.dat"));
    Files.move(top.resolve("a/same-dir-old"), top.resolve("a/same-dir-new"));
    Path fresh = top.resolve("a/replacement.tmp");
    Files.writeString(fresh, "a new file under the old name\n");
    Files.move(fresh, top.resolve("replace.txt"), StandardCopyOption.REPLACE_EXISTING);
    Shell.run("rm", "-r", top.resolve("gone").toString());
    Files.writeString(top.resolve("new.txt"), "new\n");
    Files.writeString(top.resolve("b/new2"), "new2\n");
    index("idx-after");
    after = snapshot("idx-after", state);

    TierdexCli.Run r = TierdexCli.run("diff", "--state", state);
    assertEquals(0, r.exit(), r.describe());
    SnapshotDiffTest.state = StateDir.open(state.toString(), new Configuration());
    diff = SnapshotDiffTest.state.committed().get(2).runId();
    assertTrue(r.out().contains("diff " + diff + ": " + before + " -> " + after), r.describe());
  }

  static void index(String parent) {
    TierdexCli.Run r = TierdexCli.run("index", top, tmp.resolve(parent));
    assertEquals(0, r.exit(), r.describe());
  }

  static RunId snapshot(String parent, Path state) {
    TierdexCli.Run r = TierdexCli.run("snapshot", "--state", state, "--buckets", "3",
        "--source", top, tmp.resolve(parent).resolve("top"));
    assertEquals(0, r.exit(), r.describe());
    Matcher m = Pattern.compile("snapshot (\\S+): ").matcher(r.out());
    assertTrue(m.find(), r.describe());
    return new RunId(m.group(1));
  }

  static long inode(Path p) throws Exception {
    return (Long) Files.getAttribute(p, "unix:ino");
  }

  @Test
  void everyChangeIsOneRowOfTheRightKind() {
    List<String> lines = Changes.read(spark, state, diff).lines(root);
    List<String> expected = new ArrayList<>(List.of(
        "ADDED b/new2",
        "MODIFIED chmod.txt [ctime, mode]",
        "REMOVED gone/sub/x3",
        "REMOVED gone/x1",
        "REMOVED gone/x2",
        "MODIFIED grow.txt [size, mtime, ctime]",
        "ADDED new.txt",
        "REPLACED replace.txt [size, mtime, ctime]",
        "ADDED reused.txt",
        "REMOVED victim.txt"));
    // Renames change ctime on most Linux file systems, which the row names.
    List<String> renames = lines.stream().filter(l -> l.startsWith("RENAMED")).toList();
    assertEquals(List.of("RENAMED a/same-dir-new <- a/same-dir-old",
        "RENAMED b/moved.dat <- a/move-me.dat"),
        renames.stream().map(l -> l.replace(" [ctime]", "")).toList());
    lines = new ArrayList<>(lines);
    lines.removeAll(renames);
    expected.sort(null);
    lines.sort(null);
    assertEquals(expected.stream().sorted(
        java.util.Comparator.comparing(l -> l.substring(l.indexOf(' ') + 1))).toList(),
        lines.stream().sorted(
            java.util.Comparator.comparing(l -> l.substring(l.indexOf(' ') + 1))).toList());
  }

  @Test
  void rowsCarryBothSidesValues() throws Exception {
    Changes c = Changes.read(spark, state, diff);
    var grow = c.byPath().get(root + "/grow.txt");
    assertEquals(Files.size(top.resolve("grow.txt")), (long) grow.<Long>getAs("size"));
    assertEquals("old grow.txt\n".length(), (long) grow.<Long>getAs("old_size"));
    assertEquals(Instant.parse("2020-01-01T00:00:00Z").getEpochSecond(),
        (long) grow.<Long>getAs("old_mtime"));
    assertEquals(root, grow.getAs("dir"));
    var replaced = c.byPath().get(root + "/replace.txt");
    assertEquals(String.valueOf(inode(top.resolve("replace.txt"))), replaced.getAs("inode"));
    assertNotEquals(replaced.<String>getAs("inode"), replaced.getAs("old_inode"));
    var moved = c.byPath().get(root + "/b/moved.dat");
    assertEquals(moved.<String>getAs("inode"), moved.getAs("old_inode"));
    assertEquals(root + "/b", moved.getAs("dir"));
    var gone = c.byPath().get(root + "/gone/sub/x3");
    assertEquals(root + "/gone/sub", gone.getAs("dir"));
    assertEquals("f", gone.getAs("old_type"));
    assertNull(gone.getAs("inode"));
  }

  @Test
  void aReusedInodeIsANewFileNotARename() {
    assumeTrue(inodeReused, "the file system did not hand victim.txt's inode to reused.txt");
    Changes c = Changes.read(spark, state, diff);
    assertEquals("ADDED", c.byPath().get(root + "/reused.txt").getAs("kind"));
    assertEquals("REMOVED", c.byPath().get(root + "/victim.txt").getAs("kind"));
  }

  @Test
  void theSummaryCountsEveryKindAndTheManifestKeepsIt() {
    Manifest m = state.manifest(diff);
    var k = m.changes().kinds();
    assertEquals(3, k.get("ADDED").entries());
    assertEquals(4, k.get("REMOVED").entries());
    assertEquals(2, k.get("MODIFIED").entries());
    assertEquals(2, k.get("RENAMED").entries());
    assertEquals(1, k.get("REPLACED").entries());
    assertEquals(0, k.get("MIGRATED").entries());
    assertEquals(3, k.get("UNCHANGED").entries()); // keep.txt, link, b/stay.txt
    long newEntries = state.manifest(after).snapshot().entries();
    assertEquals(newEntries, k.get("ADDED").entries() + k.get("MODIFIED").entries()
        + k.get("RENAMED").entries() + k.get("REPLACED").entries()
        + k.get("UNCHANGED").entries());
    var dirs = m.changes().topDirectories();
    assertEquals(root, dirs.get(0).dir()); // six of the changes are directly in the root
    assertEquals(6, dirs.get(0).entries());
    assertEquals(List.of(root + "/b", root + "/gone"),
        dirs.subList(1, 3).stream().map(Manifest.DirectoryChanges::dir).toList());
  }

  @Test
  void sqldiffOverFlattenedCopiesReportsTheSamePaths() throws Exception {
    Path oldDb = tmp.resolve("flat-before.db");
    Path newDb = tmp.resolve("flat-after.db");
    FlatEntries.write(spark.read().parquet(state.output(before, "snapshot").toString()), oldDb);
    FlatEntries.write(spark.read().parquet(state.output(after, "snapshot").toString()), newDb);
    String sql = Shell.run("sqldiff", "--primarykey", oldDb.toString(), newDb.toString());
    Set<String> inserted = new TreeSet<>();
    Set<String> deleted = new TreeSet<>();
    Set<String> updated = new TreeSet<>();
    Matcher ins = Pattern.compile("(?m)^INSERT INTO entries\\(.*?\\) VALUES\\('((?:[^']|'')*)'")
        .matcher(sql);
    while (ins.find()) {
      inserted.add(ins.group(1));
    }
    Matcher del = Pattern.compile("(?m)^DELETE FROM entries WHERE path='((?:[^']|'')*)';")
        .matcher(sql);
    while (del.find()) {
      deleted.add(del.group(1));
    }
    Matcher upd = Pattern.compile("(?m)^UPDATE entries SET .* WHERE path='((?:[^']|'')*)';")
        .matcher(sql);
    while (upd.find()) {
      updated.add(upd.group(1));
    }
    Set<String> added = new TreeSet<>();
    Set<String> removed = new TreeSet<>();
    Set<String> changed = new TreeSet<>();
    for (var r : Changes.read(spark, state, diff).byPath().values()) {
      String path = r.getAs("path");
      switch (r.<String>getAs("kind")) {
        case "ADDED" -> added.add(path);
        case "REMOVED" -> removed.add(path);
        case "RENAMED" -> {
          added.add(path);
          removed.add(r.getAs("old_path"));
        }
        default -> changed.add(path);
      }
    }
    assertEquals(inserted, added, sql);
    assertEquals(deleted, removed, sql);
    assertEquals(updated, changed, sql);
  }

  @Test
  void theSqldiffFormatTurnsTheOldTableIntoTheNewOne() throws Exception {
    TierdexCli.Run r = TierdexCli.run("diff", "--state", state.root().toString(), "--old",
        before, "--new", after, "--format", "sqldiff");
    assertEquals(0, r.exit(), r.describe());
    assertTrue(r.err().contains("UNCHANGED"), r.describe()); // the summary moved to stderr
    Path db = tmp.resolve("apply.db");
    FlatEntries.write(spark.read().parquet(state.output(before, "snapshot").toString()), db);
    Path script = tmp.resolve("changes.sql");
    Files.writeString(script, r.out());
    Shell.run("sqlite3", db.toString(), ".read " + script);
    Path expected = tmp.resolve("expected.db");
    FlatEntries.write(spark.read().parquet(state.output(after, "snapshot").toString()), expected);
    assertEquals("", Shell.run("sqldiff", "--primarykey", db.toString(), expected.toString()));
  }

  @Test
  void twoIndexTreesDiffLikeTheirSnapshots() {
    TierdexCli.Run r = TierdexCli.run("diff", "--state", state.root().toString(), "--buckets",
        "5", "--source", top, tmp.resolve("idx-before/top"), tmp.resolve("idx-after/top"));
    assertEquals(0, r.exit(), r.describe());
    List<Manifest> runs = state.committed();
    Manifest m = runs.get(runs.size() - 1);
    assertEquals("diff", m.kind());
    assertEquals(state.manifest(after).snapshot().entries(), m.snapshot().entries());
    assertEquals(Changes.read(spark, state, diff).lines(root),
        Changes.read(spark, state, m.runId()).lines(root));
  }
}
