package io.tierdex.index;

import static io.tierdex.testing.IndexFiles.DB;
import static io.tierdex.testing.IndexFiles.entryNames;
import static io.tierdex.testing.IndexFiles.fileContents;
import static io.tierdex.testing.IndexFiles.leftovers;
import static io.tierdex.testing.IndexFiles.write;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierdex.cli.Tierdex;
import io.tierdex.testing.TierdexCli;
import io.tierdex.testing.TierdexCli.Run;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code tierdex index} tells a user who got something wrong, and what it leaves. */
class IndexErrorsTest {
  @TempDir Path tmp;

  // ---- usage errors: exit 2, the message names what to fix, nothing is written ----

  @Test
  void nonexistentSourceIsAUsageError() {
    Path missing = tmp.resolve("no-such-dir");
    Path parent = tmp.resolve("idx");
    Run run = TierdexCli.run("index", missing, parent);
    assertUsageError(run, missing.toString());
    assertTrue(run.err().contains("No such file or directory"), run.describe());
    assertFalse(Files.exists(parent), "a usage error must not create the index parent");
  }

  @Test
  void sourceThatIsARegularFileIsAUsageError() throws IOException {
    Path file = write(tmp.resolve("notes.txt"), "not a directory");
    Path parent = tmp.resolve("idx");
    Run run = TierdexCli.run("index", file, parent);
    assertUsageError(run, file.toString());
    assertTrue(run.err().contains("not a directory"), run.describe());
    assertFalse(Files.exists(parent), "a usage error must not create the index parent");
  }

  @Test
  void indexParentInsideTheSourceIsAUsageError() throws IOException {
    Path src = tree("src");
    Path parent = src.resolve("sub/idx");
    Run run = TierdexCli.run("index", src, parent);
    assertUsageError(run, parent.toString());
    assertTrue(run.err().contains("inside source"), run.describe());
    assertFalse(Files.exists(parent), "a usage error must not create the index parent");
  }

  /**
   * {@code tierdex index /data/proj /data} would make the index of proj take the place of
   * proj itself: the source must be refused, and above all left intact.
   */
  @Test
  void sourceDirectlyInsideTheIndexParentIsRefusedAndKept() throws Exception {
    Path parent = tmp.resolve("data");
    Path src = tree("data/proj");
    Map<String, byte[]> before = fileContents(src);

    Run run = TierdexCli.run("index", src, parent);

    assertSameFiles(src, before, fileContents(src));
    assertUsageError(run, src.toString());
  }

  @Test
  void twoSourcesWithTheSameBasenameAreAUsageError() throws IOException {
    Path first = tree("a/data");
    Path second = tree("b/data");
    Path parent = tmp.resolve("idx");
    Run run = TierdexCli.run("index", first, second, parent);
    assertUsageError(run, first.toString());
    assertTrue(run.err().contains(second.toString()), "both sources named\n" + run.describe());
    assertFalse(Files.exists(parent.resolve("data")), "nothing may be indexed");
  }

  @Test
  void minLevelAboveMaxLevelIsAUsageError() throws IOException {
    Path src = tree("src");
    Path parent = tmp.resolve("idx");
    Run run = TierdexCli.run("index", "--min-level", 3, "--max-level", 1, src, parent);
    assertUsageError(run, "--min-level");
    assertTrue(run.err().contains("--max-level"), run.describe());
    assertFalse(Files.exists(parent), "a usage error must not create the index parent");
  }

  @Test
  void zeroThreadsIsAUsageError() throws IOException {
    Path src = tree("src");
    Run run = TierdexCli.run("index", "--threads", 0, src, tmp.resolve("idx"));
    assertUsageError(run, "--threads");
  }

  @Test
  void unknownOptionIsAUsageError() throws IOException {
    Path src = tree("src");
    Run run = TierdexCli.run("index", "--frobnicate", src, tmp.resolve("idx"));
    assertUsageError(run, "--frobnicate");
  }

  // ---- run failures: exit 1 ----

  @Test
  void immutableIndexParentFailsAndNamesIt() throws Exception {
    Path src = tree("src");
    Path parent = Files.createDirectory(tmp.resolve("idx"));
    Run run = whileImmutable(parent, () -> TierdexCli.run("index", src, parent));
    assertEquals(Tierdex.FAILED, run.exit(), run.describe());
    assertFalse(run.errLinesWith(parent.toString(), "Permission denied").isEmpty(),
        "expected a message naming the index parent and the cause\n" + run.describe());
    try (var list = Files.list(parent)) {
      assertEquals(0, list.count(), "nothing may be written into " + parent);
    }
  }

  @Test
  void indexParentThatCannotBeCreatedFailsAndNamesIt() throws Exception {
    Path src = tree("src");
    Path locked = Files.createDirectory(tmp.resolve("locked"));
    Path parent = locked.resolve("idx");
    Run run = whileImmutable(locked, () -> TierdexCli.run("index", src, parent));
    assertEquals(Tierdex.FAILED, run.exit(), run.describe());
    assertFalse(run.errLinesWith("cannot create index parent", parent.toString()).isEmpty(),
        run.describe());
    assertFalse(Files.exists(parent));
  }

  @Test
  void concurrentRunIsRefused() throws IOException {
    Path src = tree("src");
    Path parent = Files.createDirectory(tmp.resolve("idx"));
    try (FileChannel channel = FileChannel.open(parent.resolve(".tierdex-index.lock"),
            StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock()) {
      assertTrue(lock != null, "the test could not take the lock itself");
      Run run = TierdexCli.run("index", src, parent);
      assertEquals(Tierdex.FAILED, run.exit(), run.describe());
      assertFalse(run.errLinesWith("another tierdex index is writing", parent.toString())
          .isEmpty(), run.describe());
      assertFalse(Files.exists(parent.resolve("src")), "the refused run must not write an index");
    }
    // Once the lock is released the same command works.
    Run again = TierdexCli.run("index", src, parent);
    assertEquals(Tierdex.OK, again.exit(), again.describe());
  }

  // ---- problems inside the tree: skipped and reported, or fatal with --strict ----

  @Test
  void nameThatIsNotUtf8IsSkippedAndReported() throws Exception {
    Path src = tree("src");
    Path parent = tmp.resolve("idx");
    createBadName(src.resolve("sub"));

    Run run = TierdexCli.run("index", src, parent);

    assertEquals(Tierdex.OK, run.exit(), run.describe());
    assertAll(
        () -> assertFalse(run.errLinesWith(src.resolve("sub").toString(), "not valid UTF-8")
            .isEmpty(), "a line naming the directory and the cause\n" + run.describe()),
        () -> assertFalse(run.errLinesWith("Problems:", "not valid UTF-8").isEmpty(),
            "a Problems: summary line\n" + run.describe()),
        () -> assertEquals(Set.of("top.txt"), entryNames(parent.resolve("src").resolve(DB))),
        () -> assertEquals(Set.of("good.txt"),
            entryNames(parent.resolve("src/sub").resolve(DB)),
            "the valid names beside the bad one are indexed, the bad one is not"));
  }

  @Test
  void strictStopsAtABadNameAndKeepsThePreviousIndex() throws Exception {
    Path src = tree("src");
    Path parent = tmp.resolve("idx");
    Run first = TierdexCli.run("index", src, parent);
    assertEquals(Tierdex.OK, first.exit(), first.describe());
    Map<String, byte[]> before = fileContents(parent);

    createBadName(src.resolve("sub"));
    write(src.resolve("sub/added-later.txt"), "must not reach the index");
    Run strict = TierdexCli.run("index", "--strict", src, parent);

    assertEquals(Tierdex.FAILED, strict.exit(), strict.describe());
    assertFalse(strict.errLinesWith("--strict", "not valid UTF-8").isEmpty(),
        "the stop names the problem\n" + strict.describe());
    assertFalse(strict.errLinesWith("previous index", "unchanged").isEmpty(),
        "the stop says the previous index is kept\n" + strict.describe());
    assertEquals(Set.of(), leftovers(parent), "no staging directory may remain");
    assertSameFiles(parent, before, fileContents(parent));
  }

  // ---- an unreadable directory: needs a process without root's permission bypass ----

  /**
   * As the brief for this test asks: the indexer runs as {@code nobody}. That needs the
   * test class path (the local Maven repository) to be readable by nobody; it is not
   * when it lives under a 0700 /root, and then the test is skipped.
   */
  @Test
  void unreadableDirectoryIsSkippedAndReportedWhenRunAsNobody() throws Exception {
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path parent = Files.createDirectory(tmp.resolve("idx"));
    Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxrwxrwx"));
    unreadableDirectoryIsSkipped(
        List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"), parent);
  }

  /**
   * The same check as root without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH: root then
   * obeys permission bits like any owner, and still reads the class path it owns.
   */
  @Test
  void unreadableDirectoryIsSkippedAndReportedWhenRunWithoutDacCapabilities()
      throws Exception {
    String caps = "-dac_override,-dac_read_search";
    unreadableDirectoryIsSkipped(
        List.of("setpriv", "--inh-caps=" + caps, "--bounding-set=" + caps),
        tmp.resolve("idx"));
  }

  private void unreadableDirectoryIsSkipped(List<String> asUser, Path parent)
      throws Exception {
    Path src = tree("src");
    write(src.resolve("locked/secret.txt"), "hidden");
    Path locked = src.resolve("locked");
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
    Path logs = Files.createDirectory(tmp.resolve("logs"));

    List<String> command = new ArrayList<>(asUser);
    command.addAll(List.of(
        ProcessHandle.current().info().command().orElseThrow(),
        "-cp", System.getProperty("java.class.path"),
        Tierdex.class.getName(), "index", src.toString(), parent.toString()));
    ProcessBuilder pb = new ProcessBuilder(command)
        .redirectOutput(logs.resolve("stdout").toFile())
        .redirectError(logs.resolve("stderr").toFile());
    pb.environment().put("LC_ALL", "C.UTF-8");
    Process child;
    try {
      child = pb.start();
    } catch (IOException e) {
      Assumptions.abort("cannot start setpriv: " + e.getMessage());
      return;
    }
    if (!child.waitFor(3, TimeUnit.MINUTES)) {
      child.destroyForcibly();
      throw new AssertionError("the child tierdex did not finish in 3 minutes: " + command);
    }
    String err = Files.readString(logs.resolve("stderr"), StandardCharsets.UTF_8);
    Assumptions.assumeFalse(err.contains("ClassNotFoundException")
            || err.contains("NoClassDefFoundError")
            || err.contains("Could not find or load main class"),
        "the child JVM cannot read the test class path as that user (e.g. jars under a"
            + " 0700 /root/.m2):\n" + err);
    Assumptions.assumeFalse(err.startsWith("setpriv:"), "setpriv refused: " + err);
    String report = "child: " + String.join(" ", command) + "\nexit " + child.exitValue()
        + "\nstderr:\n" + err;

    assertEquals(0, child.exitValue(), report);
    List<String> lines = err.lines()
        .filter(l -> l.contains(locked.toString()) && l.contains("Permission denied"))
        .toList();
    assertEquals(1, lines.size(), "one line naming the unreadable directory\n" + report);
    assertTrue(err.lines().anyMatch(l -> l.startsWith("Problems:")
        && l.contains("could not be read")), "a Problems: summary line\n" + report);
    Path index = parent.resolve("src");
    assertEquals(Set.of("top.txt"), entryNames(index.resolve(DB)), report);
    assertEquals(Set.of("good.txt"), entryNames(index.resolve("sub").resolve(DB)), report);
    assertFalse(Files.exists(index.resolve("locked")),
        "no index directory for the unreadable directory\n" + report);
  }

  // ---- helpers ----

  /** {@code tmp/<rel>} with top.txt and sub/good.txt. */
  private Path tree(String rel) throws IOException {
    Path root = tmp.resolve(rel);
    write(root.resolve("top.txt"), "top");
    write(root.resolve("sub/good.txt"), "good");
    return root;
  }

  /** Creates the file "bad\377name" in {@code dir}: a name Java cannot represent. */
  private static void createBadName(Path dir) throws Exception {
    assertEquals(0, shell("touch \"$1/$(printf 'bad\\377name')\"", dir.toString()),
        "creating a non-UTF-8 name in " + dir);
  }

  /** Runs {@code action} while {@code dir} has the immutable flag (not even root may write). */
  private static Run whileImmutable(Path dir, Supplier<Run> action) throws Exception {
    int rc = shell("chattr +i \"$1\"", dir.toString());
    Assumptions.assumeTrue(rc == 0,
        "chattr +i failed (exit " + rc + "): the temp directory's file system has no"
            + " immutable flag, or we lack CAP_LINUX_IMMUTABLE");
    try {
      return action.get();
    } finally {
      assertEquals(0, shell("chattr -i \"$1\"", dir.toString()), "chattr -i " + dir);
    }
  }

  private static int shell(String script, String arg) throws Exception {
    Process p = new ProcessBuilder("bash", "-c", script, "_", arg)
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!p.waitFor(1, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("bash -c '" + script + "' did not finish");
    }
    return p.exitValue();
  }

  private static void assertUsageError(Run run, String mentioned) {
    assertEquals(Tierdex.USAGE, run.exit(), "usage errors exit 2\n" + run.describe());
    assertTrue(run.err().contains(mentioned),
        "stderr should name '" + mentioned + "'\n" + run.describe());
  }

  private static void assertSameFiles(Path root, Map<String, byte[]> before,
      Map<String, byte[]> after) {
    assertEquals(before.keySet(), after.keySet(), "the same files below " + root);
    for (Map.Entry<String, byte[]> e : before.entrySet()) {
      assertArrayEquals(e.getValue(), after.get(e.getKey()), root.resolve(e.getKey())
          + " changed");
    }
  }
}
