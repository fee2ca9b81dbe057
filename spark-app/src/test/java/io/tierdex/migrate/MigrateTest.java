package io.tierdex.migrate;

import static io.tierdex.migrate.PlannedTree.ok;
import static io.tierdex.migrate.PlannedTree.runId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierdex.testing.SharedSpark;
import io.tierdex.testing.Shell;
import io.tierdex.testing.TierdexCli;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path a user takes: index a real tree, snapshot, plan, migrate with the copy
 * mover, then check every file, the ledger and the tier state, and plan again.
 */
class MigrateTest {
  @TempDir
  Path tmp;

  /** What a user would compare before and after: content, owner, mode, mtime, xattrs. */
  record Seen(String inode, long crc, Object owner, Object group, Object mode, FileTime mtime,
      Map<String, String> xattrs) {}

  static Seen seen(Path p) throws IOException {
    Map<String, Object> a = Files.readAttributes(p, "unix:ino,uid,gid,mode,lastModifiedTime",
        LinkOption.NOFOLLOW_LINKS);
    CRC32C crc = new CRC32C();
    crc.update(Files.readAllBytes(p));
    UserDefinedFileAttributeView v = Files.getFileAttributeView(p,
        UserDefinedFileAttributeView.class);
    Map<String, String> x = new HashMap<>();
    for (String n : v.list()) {
      ByteBuffer b = ByteBuffer.allocate(v.size(n));
      v.read(n, b);
      x.put(n, new String(b.array(), StandardCharsets.UTF_8));
    }
    return new Seen(String.valueOf(a.get("ino")), crc.getValue(), a.get("uid"), a.get("gid"),
        a.get("mode"), (FileTime) a.get("lastModifiedTime"), x);
  }

  /** A tree of 40 files worth moving (8 KiB to 3 MiB) and 20 small ones the policy skips. */
  Map<Path, Seen> tree(Path root) throws Exception {
    Random r = new Random(42);
    Map<Path, Seen> big = new HashMap<>();
    for (int i = 0; i < 60; i++) {
      Path dir = root.resolve("p" + (i % 4)).resolve("d" + (i % 7));
      Files.createDirectories(dir);
      Path f = dir.resolve("f" + i + (i % 9 == 0 ? " with space" : "") + ".dat");
      byte[] data = new byte[i < 40 ? 8192 + r.nextInt(3 << 20) : r.nextInt(1000)];
      r.nextBytes(data);
      Files.write(f, data);
      if (i % 5 == 0) {
        Files.getFileAttributeView(f, UserDefinedFileAttributeView.class)
            .write("user.project", StandardCharsets.UTF_8.encode("p" + i));
      }
      if (Shell.isRoot() && i % 3 == 0) {
        Shell.run("chown", (1000 + i) + ":" + (2000 + i), f.toString());
      }
      Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString(
          i % 2 == 0 ? "rw-r-----" : "rw-rw-r--"));
      Files.setLastModifiedTime(f, FileTime.fromMillis(1_600_000_000_000L + i * 1000L));
      if (i < 40) {
        big.put(f, null);
      }
    }
    for (Path f : big.keySet()) {
      big.put(f, seen(f));
    }
    return big;
  }

  @Test
  void migratesAPlanKeepingEveryFileIntactAndTheNextPlanSelectsNone() throws Exception {
    Path src = tmp.resolve("tree");
    Map<Path, Seen> before = tree(src);
    Path state = tmp.resolve("state");
    String plan = PlannedTree.plan(tmp, src, state, 3);
    Path pol = tmp.resolve("policies.yaml");
    Path index = tmp.resolve("index").resolve("tree");

    TierdexCli.Run migrate = ok("migrate", "--plan", plan, "--state", state, "--verify",
        "--threads", "3");
    assertTrue(migrate.out().contains("MIGRATED"), migrate.describe());

    SparkSession spark = SharedSpark.get();
    List<Row> ledger = spark.read().parquet(state.resolve("runs").resolve(plan)
        .resolve("ledger").toString()).collectAsList();
    assertEquals(before.size(), ledger.size(), "one ledger row per planned file");
    for (Row row : ledger) {
      Path f = Path.of(row.<String>getAs("path"));
      Seen was = before.get(f);
      Seen now = seen(f);
      assertEquals("MIGRATED", row.getAs("outcome"), f + ": " + row.getAs("reason"));
      assertNotEquals(was.inode(), now.inode(), f + " was not rewritten");
      assertEquals(new Seen(now.inode(), was.crc(), was.owner(), was.group(), was.mode(),
          was.mtime(), was.xattrs()), now, f + " differs after the move");
      assertEquals(now.inode(), row.getAs("new_inode"), f + ": ledger inode");
      assertEquals(String.format("crc32c:%08x", was.crc()), row.getAs("checksum"));
      assertEquals((long) Files.size(f), (long) row.<Long>getAs("bytes"));
    }
    try (Stream<Path> all = Files.walk(src)) {
      assertEquals(List.of(), all.filter(p -> p.getFileName().toString()
          .startsWith(".tierdex-migrating")).toList(), "temporary files left");
    }
    List<Row> tiering = spark.read().parquet(state.resolve("tiering").toString())
        .collectAsList();
    assertEquals(before.size(), tiering.size());
    for (Row t : tiering) {
      assertEquals(seen(Path.of(t.<String>getAs("path"))).inode(), t.getAs("inode"));
      assertEquals("slow", t.getAs("pool"));
    }

    TierdexCli.Run again = ok("migrate", "--plan", plan, "--state", state);
    assertTrue(again.out().contains("migrated already"), again.describe());

    // The index was written back: a snapshot of it plans none of the moved files again.
    ok("snapshot", index, "--source", src, "--state", state);
    TierdexCli.Run replan = ok("plan", "--policies", pol, "--state", state, "--dry-run");
    assertTrue(replan.out().matches("(?s).*big\\s+fast->slow\\s+40\\s+\\S+ \\S+\\s+0\\s+40\\s+0"
        + "\\s+0\\s+0\\s.*"), replan.describe());
    // So does a fresh index of the tree.
    ok("index", src, tmp.resolve("index2"));
    ok("snapshot", tmp.resolve("index2").resolve("tree"), "--source", src, "--state", state);
    TierdexCli.Run rescan = ok("plan", "--policies", pol, "--state", state, "--dry-run");
    assertTrue(rescan.out().matches("(?s).*big\\s+fast->slow\\s+40\\s+\\S+ \\S+\\s+0\\s+40\\s+0"
        + "\\s+0\\s+0\\s.*"), rescan.describe());
  }
}
