package io.tierdex.migrate;

import static io.tierdex.migrate.MoveOutcome.FAILED;
import static io.tierdex.migrate.MoveOutcome.MIGRATED;
import static io.tierdex.migrate.MoveOutcome.SKIPPED_CHANGED;
import static io.tierdex.migrate.MoveOutcome.SKIPPED_HOT;
import static io.tierdex.migrate.MoveOutcome.SKIPPED_OPEN;
import static io.tierdex.migrate.MoveOutcome.VANISHED;
import static java.nio.file.LinkOption.NOFOLLOW_LINKS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The copy mover on real files (ext4 under the test's temp directory; run as root on Linux).
 * Every test ends with what an admin would check first: no {@code .tierdex-migrating.*} copy
 * is left anywhere under the root, and nothing outside the root was created or changed.
 */
@Timeout(120)
class CopyMoverTest {
  private static final String TEMP_PREFIX = ".tierdex-migrating.";
  /** Late enough that nothing written by a test is hot under {@link #MIN_AGE}. */
  private static final Clock LATER =
      Clock.fixed(Instant.now().plus(Duration.ofDays(1)), ZoneOffset.UTC);
  private static final Duration MIN_AGE = Duration.ofHours(1);
  private static final CopyMover.SwapLog NO_LOG = (f, tempInode, checksum) -> { };

  @TempDir Path tmp;
  private Path root;
  private Path outside;
  /** Control files of helper processes: neither the mover's root nor "outside". */
  private Path scratch;
  private Map<String, String> outsideBefore;
  private final List<Process> processes = new ArrayList<>();
  private Path mounted;

  @BeforeEach
  void tree() throws Exception {
    root = Files.createDirectory(tmp.resolve("root"));
    scratch = Files.createDirectory(tmp.resolve("scratch"));
    outside = Files.createDirectory(tmp.resolve("outside"));
    Files.writeString(outside.resolve("keep"), "outside the root\n");
    Files.createDirectory(outside.resolve("target"));
    Files.writeString(outside.resolve("target").resolve("f"), "a file outside the root\n");
    outsideBefore = outsideTree();
  }

  @AfterEach
  void nothingLeftBehind() throws Exception {
    try {
      for (Process p : processes) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
      assertEquals(List.of(), temps(), "copies left under the root");
      assertEquals(outsideBefore, outsideTree(), "something outside the root changed");
    } finally {
      if (mounted != null) {
        new ProcessBuilder("umount", "-l", mounted.toString()).inheritIO().start().waitFor();
      }
    }
  }

  // ---------------------------------------------------------------- 1. happy path

  @ParameterizedTest(name = "mode {0}")
  @ValueSource(ints = {04750, 02750, 0640})
  void migratesKeepingOwnerModeTimesXattrsAndAcl(int mode) throws Exception {
    Path file = root.resolve("data").resolve("run 7 ü.h5");
    Files.createDirectories(file.getParent());
    byte[] content = random(300_000, mode);
    Files.write(file, content);
    sh("chown 1234:5678 \"$1\"", file);
    sh("setfacl -m u:4321:rw-,g:8765:r-- \"$1\"", file);
    sh("chmod " + Integer.toOctalString(mode) + " \"$1\"", file); // after chown, keeps setuid
    UserDefinedFileAttributeView user = userXattrs(file);
    user.write("tierdex.test.origin", ByteBuffer.wrap("simulation/7".getBytes(UTF8)));
    user.write("notes", ByteBuffer.wrap(random(2000, 1))); // more than a first read takes
    sh("touch -m -d @1615000000.123456789 \"$1\" && touch -a -d @1600000000.987654321 \"$1\"",
        file);
    Map<String, Object> before = attrs(file);
    assertEquals(mode, (int) before.get("mode") & 07777, "setup: mode");
    assertEquals(FileTime.from(Instant.ofEpochSecond(1615000000, 123456789)),
        before.get("lastModifiedTime"), "setup: mtime with nanoseconds");
    String acl = getfacl(file);
    assertTrue(acl.contains("user:4321:rw-"), acl);
    Map<String, String> xattrs = userXattrMap(file);
    assertEquals(2, xattrs.size(), "setup: " + xattrs);
    PlannedFile f = plan(file);

    MoveResult r = mover(options(Checksum.CRC32C, true, true, null)).move(f, NO_LOG);

    assertEquals(MIGRATED, r.outcome(), r.reason());
    assertNull(r.reason());
    assertEquals(file.toString(), r.path());
    Map<String, Object> after = attrs(file); // before reading the bytes, which sets atime
    assertEquals(r.newInode(), after.get("ino").toString(), "returned inode is the file's");
    assertNotEquals(before.get("ino"), after.get("ino"), "a copy has a new inode");
    assertEquals(1234, after.get("uid"));
    assertEquals(5678, after.get("gid"));
    assertEquals(mode, (int) after.get("mode") & 07777, "mode, setuid included");
    assertEquals(before.get("lastModifiedTime"), after.get("lastModifiedTime"), "mtime");
    assertEquals(before.get("lastAccessTime"), after.get("lastAccessTime"), "atime");
    assertEquals(1, after.get("nlink"));
    assertEquals(xattrs, userXattrMap(file), "user xattrs");
    assertEquals(acl, getfacl(file), "ACL");
    assertArrayEquals(content, Files.readAllBytes(file), "bytes");
    assertEquals(crc32c(content), r.checksum());
    assertEquals(List.of(file.getFileName().toString()), names(file.getParent()));
  }

  @Test
  void migratesAnEmptyFile() throws Exception {
    Path file = write(root.resolve("empty"), new byte[0]);
    long inode = inode(file);

    MoveResult r = mover(options(Checksum.CRC32C, true, true, null)).move(plan(file), NO_LOG);

    assertEquals(MIGRATED, r.outcome(), r.reason());
    assertNotEquals(inode, inode(file));
    assertEquals(String.valueOf(inode(file)), r.newInode());
    assertEquals(0, Files.size(file));
    assertEquals("crc32c:00000000", r.checksum());
    assertEquals(crc32c(new byte[0]), r.checksum());
  }

  /** 20 MiB: more than two 8 MiB chunks, with each checksum, verified and flushed. */
  @ParameterizedTest
  @EnumSource(Checksum.class)
  void migratesAFileOfSeveralChunks(Checksum checksum) throws Exception {
    byte[] content = random(20 << 20, 20);
    Path file = write(root.resolve("big.dat"), content);
    long inode = inode(file);

    MoveResult r = mover(options(checksum, true, true, null)).move(plan(file), NO_LOG);

    assertEquals(MIGRATED, r.outcome(), r.reason());
    assertNotEquals(inode, inode(file));
    assertEquals(String.valueOf(inode(file)), r.newInode());
    assertArrayEquals(content, Files.readAllBytes(file));
    String expected = switch (checksum) {
      case CRC32C -> crc32c(content);
      case SHA256 -> "sha256:" + HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(content));
      case NONE -> null;
    };
    assertEquals(expected, r.checksum());
  }

  /**
   * Around the size where the copy changes from through a buffer to the kernel's copy with
   * the checksum taken from the mapped copy: the same bytes and checksum either way.
   */
  @ParameterizedTest
  @ValueSource(ints = {CopyMover.THROUGH - 1, CopyMover.THROUGH, CopyMover.THROUGH + 1})
  void copiesAroundTheBufferSize(int size) throws Exception {
    byte[] content = random(size, 21);
    Path file = write(root.resolve("edge.dat"), content);

    MoveResult r = mover(options(Checksum.CRC32C, false, false, null)).move(plan(file), NO_LOG);

    assertEquals(MIGRATED, r.outcome(), r.reason());
    assertArrayEquals(content, Files.readAllBytes(file));
    assertEquals(crc32c(content), r.checksum());
  }

  @Test
  void createsTheCopyInTheStagingDirectory() throws Exception {
    Path staging = Files.createDirectory(root.resolve("staging"));
    byte[] content = random(100_000, 3);
    Path file = write(root.resolve("a").resolve("b").resolve("f"), content);
    long inode = inode(file);
    List<String> seen = new ArrayList<>();
    CopyMover mover = mover(options(Checksum.CRC32C, true, false, staging.toString()));
    mover.beforeFinalChecks = () -> seen.addAll(names(staging));

    MoveResult r = mover.move(plan(file), NO_LOG);

    assertEquals(MIGRATED, r.outcome(), r.reason());
    assertEquals(List.of(TEMP_PREFIX + inode), seen, "the copy was made in the staging dir");
    assertEquals(List.of(), names(staging));
    assertEquals(List.of("f"), names(file.getParent()));
    assertEquals(r.newInode(), String.valueOf(inode(file)));
    assertArrayEquals(content, Files.readAllBytes(file));
    assertEquals(crc32c(content), r.checksum());
  }

  @Test
  void tagsTheCopyWithItsPool() throws Exception {
    Path file = write(root.resolve("f"), random(1000, 4));
    userXattrs(file).write("keep", ByteBuffer.wrap("me".getBytes(UTF8)));
    CopyMover.Options o = new CopyMover.Options(root.toString(), null, true, false,
        Checksum.CRC32C, MIN_AGE, "user.tierdex.pool", 0);

    MoveResult r = new CopyMover(o, LATER).move(plan(file), NO_LOG);

    assertEquals(MIGRATED, r.outcome(), r.reason());
    assertEquals(Map.of("keep", "me", "tierdex.pool", "slow"), userXattrMap(file));
  }

  /**
   * A default ACL on the directory, set after the file was made, must not end up on the copy:
   * the copy has the original's permissions, not more (here user 4321 could read it).
   */
  @Test
  void doesNotGiveTheCopyTheDirectorysDefaultAcl() throws Exception {
    Path dir = Files.createDirectory(root.resolve("shared"));
    Path file = write(dir.resolve("private"), random(1000, 5));
    sh("chmod 0640 \"$1\" && setfacl -d -m u:4321:rwx \"$2\"", file, dir);
    String acl = getfacl(file);
    assertTrue(!acl.contains("4321"), "setup: " + acl);

    MoveResult r = mover(options(Checksum.CRC32C, true, false, null)).move(plan(file), NO_LOG);

    assertEquals(MIGRATED, r.outcome(), r.reason());
    assertEquals(acl, getfacl(file), "ACL of the copy");
    assertEquals(0640, (int) attrs(file).get("mode") & 07777);
  }

  // ---------------------------------------------------------------- 2. refusals and outcomes

  @Test
  void refusesAPathOutsideTheRoot() throws Exception {
    Path keep = outside.resolve("keep");
    PlannedFile f = plan(keep);

    assertOutcome(FAILED, "outside the configured root", move(f));
    assertOutcome(FAILED, "'..'", move(plan(keep, root + "/../outside/keep")));
  }

  @Test
  void refusesAStagingDirectoryOutsideTheRoot() throws Exception {
    byte[] content = random(1000, 32);
    Path file = write(root.resolve("f"), content);
    long inode = inode(file);

    MoveResult r = mover(options(Checksum.CRC32C, true, false, outside.resolve("target")
        .toString())).move(plan(file), NO_LOG);

    assertOutcome(FAILED, "staging directory", r);
    assertEquals(inode, inode(file));
    assertArrayEquals(content, Files.readAllBytes(file));
  }

  @Test
  void refusesASymlinkAtThePath() throws Exception {
    Path link = Files.createSymbolicLink(root.resolve("link"), outside.resolve("keep"));
    PlannedFile f = plan(link);

    assertOutcome(FAILED, "symbolic link", move(f));
    assertTrue(Files.isSymbolicLink(link));
    assertEquals(outside.resolve("keep"), Files.readSymbolicLink(link));
  }

  @Test
  void refusesASymlinkAsADirectory() throws Exception {
    Files.createSymbolicLink(root.resolve("linked"), outside.resolve("target"));
    PlannedFile f = plan(outside.resolve("target").resolve("f"),
        root + "/linked/f");

    assertOutcome(FAILED, "links are never followed", move(f));
  }

  @Test
  void refusesAHardLinkedFile() throws Exception {
    byte[] content = random(1000, 6);
    Path file = write(root.resolve("a"), content);
    Files.createLink(root.resolve("b"), file);
    long inode = inode(file);

    assertOutcome(FAILED, "2 hard links", move(plan(file)));
    assertEquals(inode, inode(file));
    assertEquals(2, attrs(file).get("nlink"));
    assertArrayEquals(content, Files.readAllBytes(root.resolve("b")));
  }

  @Test
  void fileDeletedSincePlanningVanished() throws Exception {
    Path file = write(root.resolve("gone"), random(100, 7));
    PlannedFile f = plan(file);
    Files.delete(file);

    assertOutcome(VANISHED, "no longer exists", move(f));
    assertTrue(Files.notExists(file, NOFOLLOW_LINKS));
  }

  @Test
  void fileWhoseDirectoryWasDeletedVanished() throws Exception {
    Path file = write(root.resolve("d").resolve("gone"), random(100, 7));
    PlannedFile f = plan(file);
    Files.delete(file);
    Files.delete(file.getParent());

    assertOutcome(VANISHED, "directory no longer exists", move(f));
  }

  @Test
  void directoryNowAtThePathVanished() throws Exception {
    Path file = write(root.resolve("x"), random(100, 8));
    PlannedFile f = plan(file);
    Files.delete(file);
    Files.createDirectory(file);

    assertOutcome(VANISHED, "is a directory now", move(f));
    assertTrue(Files.isDirectory(file, NOFOLLOW_LINKS));
  }

  @Test
  void fileGrownSincePlanningIsSkipped() throws Exception {
    byte[] content = random(1000, 9);
    Path file = write(root.resolve("grows"), content);
    PlannedFile f = plan(file);
    long inode = inode(file);
    Files.write(file, "more".getBytes(UTF8), StandardOpenOption.APPEND);

    assertOutcome(SKIPPED_CHANGED, "size 1000 -> 1004", move(f));
    assertEquals(inode, inode(file));
    assertEquals(1004, Files.size(file));
  }

  @Test
  void fileTouchedSincePlanningIsSkipped() throws Exception {
    Path file = write(root.resolve("touched"), random(1000, 10));
    sh("touch -m -d @1615000000 \"$1\"", file);
    PlannedFile f = plan(file);
    long inode = inode(file);
    sh("touch -m -d @1615000100 \"$1\"", file);

    assertOutcome(SKIPPED_CHANGED, "mtime 1615000000 -> 1615000100", move(f));
    assertEquals(inode, inode(file));
  }

  @Test
  void fileReplacedSincePlanningIsSkipped() throws Exception {
    Path file = write(root.resolve("replaced"), random(1000, 11));
    PlannedFile f = plan(file);
    Path other = write(root.resolve("other"), random(1000, 12));
    Files.move(other, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    long inode = inode(file);

    assertOutcome(SKIPPED_CHANGED, "inode", move(f));
    assertEquals(inode, inode(file));
  }

  @Test
  void recentlyModifiedFileIsHot() throws Exception {
    Path file = write(root.resolve("hot"), random(1000, 13));
    long inode = inode(file);
    CopyMover mover = new CopyMover(new CopyMover.Options(root.toString(), null, true, false,
        Checksum.CRC32C, MIN_AGE, null, 0), Clock.fixed(Instant.now(), ZoneOffset.UTC));

    assertOutcome(SKIPPED_HOT, "min-age 1h", mover.move(plan(file), NO_LOG));
    assertEquals(inode, inode(file));
  }

  @Test
  void fileOpenInAnotherProcessIsSkipped() throws Exception {
    byte[] content = random(1000, 14);
    Path file = write(root.resolve("open"), content);
    long inode = inode(file);
    holdOpen(file);

    assertOutcome(SKIPPED_OPEN, "open by", move(plan(file)));
    assertEquals(inode, inode(file));
    assertArrayEquals(content, Files.readAllBytes(file));
  }

  // ---------------------------------------------------------------- 3. changes during the copy

  @Test
  void appendDuringTheCopyIsSkippedAndKept() throws Exception {
    byte[] content = random(100_000, 15);
    Path file = write(root.resolve("appended"), content);
    long inode = inode(file);
    CopyMover mover = mover(options(Checksum.CRC32C, true, false, null));
    mover.beforeFinalChecks = () -> {
      try {
        Files.write(file, "appended".getBytes(UTF8), StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };

    assertOutcome(SKIPPED_CHANGED, "changed during the copy", mover.move(plan(file), NO_LOG));
    assertEquals(inode, inode(file));
    assertArrayEquals(concat(content, "appended".getBytes(UTF8)), Files.readAllBytes(file));
  }

  @Test
  void directorySwappedForALinkDuringTheCopyFails() throws Exception {
    byte[] content = random(100_000, 16);
    Path dir = root.resolve("d");
    Path file = write(dir.resolve("f"), content);
    long inode = inode(file);
    Path movedAway = root.resolve("d.real");
    CopyMover mover = mover(options(Checksum.CRC32C, true, false, null));
    mover.beforeFinalChecks = () -> {
      try {
        Files.move(dir, movedAway);
        Files.createSymbolicLink(dir, outside.resolve("target"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };

    assertOutcome(FAILED, "links are never followed", mover.move(plan(file), NO_LOG));
    assertEquals(List.of("f"), names(movedAway));
    assertEquals(inode, inode(movedAway.resolve("f")));
    assertArrayEquals(content, Files.readAllBytes(movedAway.resolve("f")));
    assertEquals(List.of("f"), names(outside.resolve("target")));
  }

  @Test
  void directoryReplacedDuringTheCopyFails() throws Exception {
    byte[] content = random(100_000, 17);
    Path dir = root.resolve("d");
    Path file = write(dir.resolve("f"), content);
    Path movedAway = root.resolve("d.old");
    CopyMover mover = mover(options(Checksum.CRC32C, true, false, null));
    mover.beforeFinalChecks = () -> {
      try {
        Files.move(dir, movedAway);
        Files.createDirectory(dir);
        Files.writeString(dir.resolve("f"), "someone else's");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };

    assertOutcome(FAILED, "replaced by another directory", mover.move(plan(file), NO_LOG));
    assertArrayEquals(content, Files.readAllBytes(movedAway.resolve("f")));
    assertEquals("someone else's", Files.readString(dir.resolve("f")));
  }

  @Test
  void directoryKeptOpenFromTheFileBeforeIsCheckedAgain() throws Exception {
    byte[] first = random(10_000, 40);
    byte[] second = random(10_000, 41);
    Path dir = root.resolve("d");
    Path a = write(dir.resolve("a"), first);
    Path b = write(dir.resolve("b"), second);
    long inodeB = inode(b);
    PlannedFile planB = plan(b);
    Path movedAway = root.resolve("d.real");
    CopyMover mover = mover(options(Checksum.CRC32C, true, false, null));
    try (OpenDirs dirs = mover.openDirs()) {
      MoveResult moved = mover.move(plan(a), NO_LOG, dirs);
      assertEquals(MIGRATED, moved.outcome(), moved.reason());
      // Between the two files of one thread: the directory it holds open goes elsewhere.
      Files.move(dir, movedAway);
      Files.createSymbolicLink(dir, outside.resolve("target"));

      assertOutcome(FAILED, "links are never followed", mover.move(planB, NO_LOG, dirs));
      // And the next file walks the path afresh instead of using the stale directory.
      assertOutcome(FAILED, "links are never followed", mover.move(planB, NO_LOG, dirs));
    }
    assertEquals(List.of("a", "b"), names(movedAway));
    assertEquals(inodeB, inode(movedAway.resolve("b")));
    assertArrayEquals(second, Files.readAllBytes(movedAway.resolve("b")));
    assertEquals(List.of("f"), names(outside.resolve("target")));
  }

  @Test
  void directoryMovedWithinTheRootDuringTheCopyFails() throws Exception {
    // Same inode found nowhere else on the path: the kernel's name for it has changed.
    byte[] content = random(50_000, 42);
    Path dir = Files.createDirectories(root.resolve("p").resolve("d"));
    Path file = write(dir.resolve("f"), content);
    long inode = inode(file);
    CopyMover mover = mover(options(Checksum.CRC32C, true, false, null));
    mover.beforeFinalChecks = () -> {
      try {
        Files.move(root.resolve("p"), root.resolve("q"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };

    assertOutcome(FAILED, "changed since it was checked", mover.move(plan(file), NO_LOG));
    Path now = root.resolve("q").resolve("d").resolve("f");
    assertEquals(inode, inode(now));
    assertArrayEquals(content, Files.readAllBytes(now));
  }

  @Test
  void openedDuringTheCopyIsSkipped() throws Exception {
    byte[] content = random(100_000, 18);
    Path file = write(root.resolve("f"), content);
    long inode = inode(file);
    CopyMover mover = mover(options(Checksum.CRC32C, true, false, null));
    mover.beforeFinalChecks = () -> holdOpen(file);

    assertOutcome(SKIPPED_OPEN, "during the copy", mover.move(plan(file), NO_LOG));
    assertEquals(inode, inode(file));
    assertArrayEquals(content, Files.readAllBytes(file));
  }

  @Test
  void hardLinkMadeDuringTheCopyIsSkipped() throws Exception {
    byte[] content = random(100_000, 29);
    Path file = write(root.resolve("f"), content);
    long inode = inode(file);
    CopyMover mover = mover(options(Checksum.CRC32C, true, false, null));
    mover.beforeFinalChecks = () -> {
      try {
        Files.createLink(root.resolve("backup"), file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };

    assertOutcome(SKIPPED_CHANGED, "changed during the copy", mover.move(plan(file), NO_LOG));
    assertEquals(inode, inode(file));
    assertEquals(inode, inode(root.resolve("backup")), "the two names still one file");
    assertArrayEquals(content, Files.readAllBytes(file));
  }

  @Test
  void xattrSetDuringTheCopyIsSkippedAndKept() throws Exception {
    Path file = write(root.resolve("f"), random(100_000, 30));
    long inode = inode(file);
    CopyMover mover = mover(options(Checksum.CRC32C, true, false, null));
    mover.beforeFinalChecks = () -> {
      try {
        userXattrs(file).write("keep", ByteBuffer.wrap("late".getBytes(UTF8)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };

    assertOutcome(SKIPPED_CHANGED, "changed during the copy", mover.move(plan(file), NO_LOG));
    assertEquals(inode, inode(file));
    assertEquals(Map.of("keep", "late"), userXattrMap(file));
  }

  @Test
  void renamedAwayDuringTheCopyIsLeftAlone() throws Exception {
    byte[] content = random(100_000, 31);
    Path file = write(root.resolve("f"), content);
    Path renamed = root.resolve("f.renamed");
    CopyMover mover = mover(options(Checksum.CRC32C, true, false, null));
    mover.beforeFinalChecks = () -> {
      try {
        Files.move(file, renamed);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };

    MoveResult r = mover.move(plan(file), NO_LOG);

    // ext4 sets the ctime on rename, which is seen first; elsewhere the name is gone
    assertTrue(r.outcome() == SKIPPED_CHANGED || r.outcome() == VANISHED, r.toString());
    assertTrue(r.reason().contains("during the copy"), r.reason());
    assertEquals(List.of("f.renamed"), names(root));
    assertArrayEquals(content, Files.readAllBytes(renamed));
  }

  // ---------------------------------------------------------------- 4. a live writer

  /**
   * A writer appends in a loop, starting while the copy runs (throttled to 100 MiB/s, so the
   * 200 MiB take about two seconds): whatever the outcome, no appended byte is lost.
   */
  @Test
  @Timeout(180)
  void fileBeingAppendedToLosesNoWrite() throws Exception {
    Path file = root.resolve("log");
    long initial = 200L << 20;
    try (OutputStream out = Files.newOutputStream(file)) {
      byte[] chunk = new byte[1 << 20];
      java.util.Arrays.fill(chunk, (byte) 'a');
      for (long n = 0; n < initial; n += chunk.length) {
        out.write(chunk);
      }
    }
    PlannedFile f = plan(file);
    Path stop = scratch.resolve("stop");
    Path count = scratch.resolve("count");
    CopyMover mover = new CopyMover(new CopyMover.Options(root.toString(), null, true, false,
        Checksum.CRC32C, MIN_AGE, null, 100L << 20), LATER);
    Process writer = start("sleep 0.5; n=0; while [ ! -e \"$2\" ]; do echo x >> \"$1\";"
        + " n=$((n+1)); done; echo $n > \"$3\"", file, stop, count);

    long started = System.nanoTime();
    MoveResult r = mover.move(f, NO_LOG);
    long took = System.nanoTime() - started;

    assertTrue(r.outcome() == SKIPPED_OPEN || r.outcome() == SKIPPED_CHANGED,
        r.outcome() + ": " + r.reason());
    long afterMove = Files.size(file);
    assertTrue(afterMove > initial, "the writer wrote during the move");
    assertTrue(took < TimeUnit.SECONDS.toNanos(20), "the copy of 200 MiB at 100 MiB/s took "
        + took / 1_000_000 + " ms: it must stop at the planned size, not chase the writer");
    waitFor(() -> Files.size(file) > afterMove + 100, "the writer to go on writing");
    Files.createFile(stop);
    assertTrue(writer.waitFor(60, TimeUnit.SECONDS), "writer stopped");
    long written = Long.parseLong(Files.readString(count).trim());
    assertTrue(written > 0);
    assertEquals(initial + 2 * written, Files.size(file), "every byte the writer wrote");
    try (var ch = java.nio.channels.FileChannel.open(file)) {
      ByteBuffer tail = ByteBuffer.allocate((int) (2 * written));
      ch.read(tail, initial);
      assertEquals("x\n".repeat((int) written), new String(tail.array(), UTF8));
    }
  }

  // ---------------------------------------------------------------- 5. target full

  @Test
  void fullFileSystemFailsAndFreesItsSpace() throws Exception {
    Path small = Files.createDirectory(root.resolve("small"));
    Process m = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs",
        small.toString()).redirectErrorStream(true).start();
    Assumptions.assumeTrue(m.waitFor() == 0, "cannot mount a tmpfs: "
        + new String(m.getInputStream().readAllBytes(), UTF8));
    mounted = small;
    byte[] content = random(4 << 20, 19);
    Path file = write(small.resolve("f"), content);
    long inode = inode(file);
    FileStore store = Files.getFileStore(file);
    long free = store.getUnallocatedSpace();

    MoveResult r = mover(options(Checksum.CRC32C, true, false, null)).move(plan(file), NO_LOG);

    assertOutcome(FAILED, "ENOSPC", r);
    assertTrue(r.reason().contains("full"), r.reason());
    assertEquals(inode, inode(file));
    assertArrayEquals(content, Files.readAllBytes(file));
    assertEquals(List.of("f"), names(small));
    assertEquals(free, store.getUnallocatedSpace(), "free space");
  }

  // ---------------------------------------------------------------- 6. recovery

  /** A crash just before the swap: the journal has the copy, the path the original. */
  @Test
  void crashBeforeTheSwapLeavesTheOriginal() throws Exception {
    byte[] content = random(100_000, 21);
    Path file = write(root.resolve("f"), content);
    long inode = inode(file);
    PlannedFile f = plan(file);
    List<String> journal = new ArrayList<>();
    CopyMover mover = mover(options(Checksum.CRC32C, true, false, null));

    MoveResult r = mover.move(f, (pf, tempInode, checksum) -> {
      journal.add(tempInode);
      journal.add(checksum);
      assertEquals(List.of(TEMP_PREFIX + inode, "f"), names(root), "copy beside the original");
      throw new IOException("journal disk gone");
    });

    assertOutcome(FAILED, "journal disk gone", r);
    assertEquals(2, journal.size());
    assertEquals(crc32c(content), journal.get(1));
    assertEquals(inode, inode(file));
    assertArrayEquals(content, Files.readAllBytes(file));
    assertNull(mover.recover(f, journal.get(0), journal.get(1)), "move it again");
    assertEquals(inode, inode(file));
  }

  /** Crash after the exchange, before the original (now under the temp name) was removed. */
  @Test
  void recoverFindsTheCopyInPlace() throws Exception {
    byte[] content = random(100_000, 22);
    Path file = write(root.resolve("f"), content);
    PlannedFile f = plan(file);
    Path copy = write(root.resolve("copy"), content);
    long copyInode = inode(copy);
    Files.move(file, root.resolve(CopyMover.tempName(f)));
    Files.move(copy, file);

    MoveResult r = mover(options(Checksum.CRC32C, true, false, null))
        .recover(f, String.valueOf(copyInode), crc32c(content));

    assertEquals(MIGRATED, r.outcome(), r.reason());
    assertEquals(String.valueOf(copyInode), r.newInode());
    assertEquals(crc32c(content), r.checksum());
    assertEquals(List.of("f"), names(root), "the original under the temp name removed");
    assertEquals(copyInode, inode(file));
    assertArrayEquals(content, Files.readAllBytes(file));
  }

  @Test
  void recoverAfterACompleteMoveIsMigrated() throws Exception {
    byte[] content = random(100_000, 23);
    Path file = write(root.resolve("f"), content);
    PlannedFile f = plan(file);
    List<String> journal = new ArrayList<>();
    CopyMover mover = mover(options(Checksum.CRC32C, true, false, null));
    assertEquals(MIGRATED, mover.move(f, (pf, t, c) -> journal.addAll(List.of(t, c)))
        .outcome());

    MoveResult r = mover.recover(f, journal.get(0), journal.get(1));

    assertEquals(MIGRATED, r.outcome(), r.reason());
    assertEquals(String.valueOf(inode(file)), r.newInode());
    assertArrayEquals(content, Files.readAllBytes(file));
  }

  /** Crash before the swap, and the copy is still there: it goes, the file is moved again. */
  @Test
  void recoverRemovesAnUnusedCopy() throws Exception {
    byte[] content = random(100_000, 24);
    Path file = write(root.resolve("f"), content);
    long inode = inode(file);
    PlannedFile f = plan(file);
    Path stale = write(root.resolve(CopyMover.tempName(f)), content);
    CopyMover mover = mover(options(Checksum.CRC32C, true, false, null));

    assertNull(mover.recover(f, String.valueOf(inode(stale)), crc32c(content)));

    assertEquals(List.of("f"), names(root));
    assertEquals(inode, inode(file));
    assertArrayEquals(content, Files.readAllBytes(file));
    assertEquals(MIGRATED, mover.move(f, NO_LOG).outcome());
    assertArrayEquals(content, Files.readAllBytes(file));
  }

  @Test
  void recoverLeavesBothWhenThePathHoldsAnotherFile() throws Exception {
    byte[] content = random(1000, 25);
    Path file = write(root.resolve("f"), content);
    PlannedFile f = plan(file);
    Path temp = root.resolve(CopyMover.tempName(f));
    Files.move(file, temp);
    Files.writeString(file, "new file written by a user");

    MoveResult r = mover(options(Checksum.CRC32C, true, false, null)).recover(f, "999999",
        crc32c(content));

    assertOutcome(FAILED, "left both", r);
    assertArrayEquals(content, Files.readAllBytes(temp));
    assertEquals("new file written by a user", Files.readString(file));
    Files.delete(temp); // settled by the admin
  }

  @Test
  void recoverOfAFileSinceDeletedVanished() throws Exception {
    Path file = write(root.resolve("f"), random(1000, 33));
    PlannedFile f = plan(file);
    Path copy = write(root.resolve(CopyMover.tempName(f)), random(1000, 33));
    long copyInode = inode(copy);
    Files.delete(file);

    MoveResult r = mover(options(Checksum.CRC32C, true, false, null)).recover(f,
        String.valueOf(copyInode), null);

    assertOutcome(VANISHED, "no longer exists", r);
    assertEquals(List.of(), names(root), "the unused copy removed");
  }

  @Test
  void staleCopyFromACrashIsReplaced() throws Exception {
    byte[] content = random(100_000, 26);
    Path file = write(root.resolve("f"), content);
    PlannedFile f = plan(file);
    write(root.resolve(CopyMover.tempName(f)), "half a copy".getBytes(UTF8));

    MoveResult r = mover(options(Checksum.CRC32C, true, false, null)).move(f, NO_LOG);

    assertEquals(MIGRATED, r.outcome(), r.reason());
    assertEquals(List.of("f"), names(root));
    assertArrayEquals(content, Files.readAllBytes(file));
    assertEquals(crc32c(content), r.checksum());
  }

  // ---------------------------------------------------------------- 7. lease breaks

  /**
   * A writer opens the file while the swap holds the write lease: it waits, the JVM gets
   * SIGIO and lives, the original is put back and the writer appends to it.
   */
  @Test
  void writerOpeningDuringTheSwapGetsTheOriginal() throws Exception {
    byte[] content = random(100_000, 27);
    Path file = write(root.resolve("f"), content);
    long inode = inode(file);
    List<Process> writer = new ArrayList<>();
    CopyMover mover = mover(options(Checksum.CRC32C, true, false, null));

    MoveResult r = mover.move(plan(file), (pf, t, c) -> {
      writer.add(start("echo appended >> \"$1\"", file));
      waitForLeaseBreak(inode, "UNLCK");
    });

    assertOutcome(SKIPPED_OPEN, "original put back", r);
    assertTrue(writer.get(0).waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, writer.get(0).exitValue());
    assertEquals(inode, inode(file));
    assertArrayEquals(concat(content, "appended\n".getBytes(UTF8)), Files.readAllBytes(file));
  }

  /** A reader opening during the swap only waits; the move goes on and it reads the bytes. */
  @Test
  void readerOpeningDuringTheSwapReadsTheSameBytes() throws Exception {
    byte[] content = random(100_000, 28);
    Path file = write(root.resolve("f"), content);
    long inode = inode(file);
    Path read = scratch.resolve("read");
    List<Process> reader = new ArrayList<>();
    CopyMover mover = mover(options(Checksum.CRC32C, true, false, null));

    MoveResult r = mover.move(plan(file), (pf, t, c) -> {
      reader.add(start("cat \"$1\" > \"$2\"", file, read));
      waitForLeaseBreak(inode, "READ");
    });

    assertEquals(MIGRATED, r.outcome(), r.reason());
    assertTrue(reader.get(0).waitFor(60, TimeUnit.SECONDS));
    assertNotEquals(inode, inode(file));
    assertArrayEquals(content, Files.readAllBytes(read));
    assertArrayEquals(content, Files.readAllBytes(file));
  }

  // ---------------------------------------------------------------- helpers

  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;

  private CopyMover.Options options(Checksum checksum, boolean verify, boolean fsync,
      String stagingDir) {
    return new CopyMover.Options(root.toString(), stagingDir, verify, fsync, checksum, MIN_AGE,
        null, 0);
  }

  private static CopyMover mover(CopyMover.Options options) {
    return new CopyMover(options, LATER);
  }

  private MoveResult move(PlannedFile f) throws InterruptedException {
    return mover(options(Checksum.CRC32C, true, false, null)).move(f, NO_LOG);
  }

  private static void assertOutcome(MoveOutcome outcome, String reasonPart, MoveResult r) {
    assertEquals(outcome, r.outcome(), r.reason());
    assertTrue(r.reason().contains(reasonPart), "reason '" + r.reason() + "' should contain '"
        + reasonPart + "'");
    assertNull(r.newInode());
  }

  private static PlannedFile plan(Path file) throws IOException {
    return plan(file, file.toString());
  }

  /** {@code file} as a snapshot saw it, planned under the name {@code path}. */
  private static PlannedFile plan(Path file, String path) throws IOException {
    Map<String, Object> a = attrs(file);
    return new PlannedFile(path, a.get("ino").toString(), (Long) a.get("size"),
        ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.SECONDS),
        ((FileTime) a.get("ctime")).to(TimeUnit.SECONDS), "fast", 1, "slow", 2);
  }

  private static Map<String, Object> attrs(Path file) throws IOException {
    return Files.readAttributes(file, "unix:*", NOFOLLOW_LINKS);
  }

  private static long inode(Path file) throws IOException {
    return (Long) attrs(file).get("ino");
  }

  private static Path write(Path file, byte[] content) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.write(file, content);
  }

  private static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  private static String crc32c(byte[] content) {
    CRC32C crc = new CRC32C();
    crc.update(content);
    return String.format("crc32c:%08x", crc.getValue());
  }

  private static UserDefinedFileAttributeView userXattrs(Path file) {
    return Files.getFileAttributeView(file, UserDefinedFileAttributeView.class, NOFOLLOW_LINKS);
  }

  /** user.* attributes, names without the prefix, values as hex. */
  private static Map<String, String> userXattrMap(Path file) throws IOException {
    UserDefinedFileAttributeView view = userXattrs(file);
    Map<String, String> m = new TreeMap<>();
    for (String name : view.list()) {
      ByteBuffer b = ByteBuffer.allocate(view.size(name));
      view.read(name, b);
      m.put(name, name.equals("keep") || name.equals("tierdex.pool")
          ? new String(b.array(), UTF8) : HexFormat.of().formatHex(b.array()));
    }
    return m;
  }

  private static String getfacl(Path file) throws Exception {
    return sh("getfacl -n --absolute-names \"$1\"", file);
  }

  private static List<String> names(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<String> temps() throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> p.getFileName().toString().startsWith(TEMP_PREFIX))
          .map(Path::toString).toList();
    }
  }

  /** Every path under the temp dir but the root and scratch: type, size, mtime and bytes. */
  private Map<String, String> outsideTree() throws IOException {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(tmp)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (p.startsWith(root) || p.startsWith(scratch)) {
          continue;
        }
        Map<String, Object> a = attrs(p);
        String what = a.get("mode") + " " + a.get("size") + " " + a.get("lastModifiedTime");
        if (Files.isRegularFile(p, NOFOLLOW_LINKS)) {
          what += " " + HexFormat.of().formatHex(Files.readAllBytes(p));
        }
        m.put(tmp.relativize(p).toString(), what);
      }
    }
    return m;
  }

  /** Runs {@code sh -c script} with {@code args} as $1..; returns stdout; fails on exit != 0. */
  private static String sh(String script, Path... args) throws Exception {
    Process p = new ProcessBuilder(command(script, args)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), UTF8);
    assertEquals(0, p.waitFor(), script + ": " + out);
    return out;
  }

  private static List<String> command(String script, Path... args) {
    List<String> cmd = new ArrayList<>(List.of("sh", "-c", script, "sh"));
    for (Path a : args) {
      cmd.add(a.toString());
    }
    return cmd;
  }

  /** Starts {@code sh -c script} in the background; killed after the test. */
  private Process start(String script, Path... args) {
    try {
      Process p = new ProcessBuilder(command(script, args))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      processes.add(p);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code sleep 60 < file}: another process holding the file open (not the test JVM). */
  private void holdOpen(Path file) {
    try {
      processes.add(new ProcessBuilder("sleep", "60").redirectInput(file.toFile()).start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until /proc/locks shows the lease on {@code inode} breaking to {@code type}. */
  private static void waitForLeaseBreak(long inode, String type) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      for (String line : Files.readAllLines(Path.of("/proc/locks"))) {
        if (line.contains(" LEASE ") && line.contains(" BREAKING ")
            && line.contains(" " + type + " ") && line.contains(":" + inode + " ")) {
          return;
        }
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }
    fail("no lease break of inode " + inode + " to " + type + " in /proc/locks:\n"
        + Files.readString(Path.of("/proc/locks")));
  }

  private interface Condition {
    boolean holds() throws IOException;
  }

  private static void waitFor(Condition c, String what) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!c.holds()) {
      if (System.nanoTime() > deadline) {
        fail("timed out waiting for " + what);
      }
      Thread.sleep(10);
    }
  }
}
