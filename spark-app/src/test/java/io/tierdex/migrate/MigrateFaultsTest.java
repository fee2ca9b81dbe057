package io.tierdex.migrate;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tierdex.testing.SharedSpark;
import io.tierdex.testing.TierdexCli;
import io.tierdex.testing.TierdexProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migrate when things go wrong: killed with SIGKILL at random moments and rerun, a task
 * failing in the middle of a bin, a second migrate on the same state directory, files
 * deleted, renamed or appended to after the plan, a directory swapped for a link out of the
 * root, a file held open. Whatever happens, every planned file still at its path holds
 * exactly its bytes, and no temporary copy is left once a migration completes.
 */
class MigrateFaultsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  /** A file's bytes, as far as a test compares them. */
  record Content(long crc, long size) {}

  /** A tree indexed, snapshot and planned: the plan's run id and every planned file. */
  record Planned(Path base, Path src, Path state, String plan, Map<Path, Content> files) {
    Path runDir() {
      return state.resolve("runs").resolve(plan);
    }

    Object[] migrate(Object... more) {
      List<Object> args = new ArrayList<>(List.of("migrate", "--plan", plan, "--state", state));
      args.addAll(List.of(more));
      return args.toArray();
    }
  }

  @BeforeAll
  static void sharedSession() {
    // In-JVM commands use the shared session: local[2,4], so a failed task is retried.
    SharedSpark.get();
  }

  // ---------------------------------------------------------------------------------------
  // 1. SIGKILL at random moments, rerun on the same plan, then run to completion.

  @Test
  void killedAtRandomMomentsAndRerunUntilDoneMovesEveryFileExactlyOnce() throws Exception {
    int kills = Integer.getInteger("tierdex.faults.kills", 20);
    long seed = Long.getLong("tierdex.faults.seed", System.nanoTime());
    Random random = new Random(seed);
    // About 75 MiB at 5 MiB/s: the moves alone last about 15 s, so the kills 0-3 s after a
    // run's first journal spread over the whole move stage.
    Planned p = plan("killed", 60, 512 << 10, 2 << 20, 4);
    Object[] throttled = p.migrate("--master", "local[2]", "--threads", "2",
        "--bandwidth", "5MiB", "--lease-ttl", "3s");
    Object[] unthrottled = p.migrate("--master", "local[2]", "--threads", "2",
        "--lease-ttl", "3s");
    // Two fifths of the kills land in start-up (JVM, Spark, reading the plan), the others
    // 0-3 s after the run's first journal, in random order. The last three lift the
    // bandwidth cap, so that the moves left end at once: one is killed 0-3 s after its
    // journal (in the ledger, mostly), two 0-2 s after their ledger is written (in the tier
    // state or the index write-back).
    List<Moment> schedule = new ArrayList<>();
    int late = kills >= 10 ? 3 : 0;
    for (int i = 0; i < kills - late; i++) {
      schedule.add(i < kills * 2 / 5 ? Moment.START_UP : Moment.MOVING);
    }
    java.util.Collections.shuffle(schedule, random);
    if (late > 0) {
      schedule.addAll(List.of(Moment.AFTER_MOVES, Moment.AFTER_LEDGER, Moment.AFTER_LEDGER));
    }
    Path log = p.base().resolve("migrate.log");
    List<String> history = new ArrayList<>();
    int killed = 0;
    int refusedByLease = 0;
    int interruptedCopies = 0; // kills that left a copy behind: they hit a copy in flight
    long startUpMs = 10_000; // until a run's first journal; measured by each run that gets there
    long t = System.nanoTime();
    while (killed < kills) {
      int journalsBefore = journals(p).size();
      Object ledgerBefore = ledgerId(p);
      boolean finished = Files.exists(p.runDir().resolve(Migration.SUMMARY));
      Moment moment = finished ? Moment.START_UP : schedule.get(killed);
      long t0 = System.nanoTime();
      Process child = TierdexProcess.start(log,
          moment == Moment.START_UP || moment == Moment.MOVING ? throttled : unthrottled);
      long journalAt = -1;
      long ledgerAt = -1;
      if (moment == Moment.START_UP) {
        child.waitFor(random.nextLong(startUpMs), MILLISECONDS);
      } else {
        awaitWhileAlive(child, log, "a new journal", () -> journals(p).size() > journalsBefore);
        journalAt = (System.nanoTime() - t0) / 1_000_000;
        startUpMs = journalAt;
        if (moment == Moment.AFTER_LEDGER) {
          awaitWhileAlive(child, log, "a new ledger", () -> {
            Object now = ledgerId(p);
            return now != null && !now.equals(ledgerBefore);
          });
          ledgerAt = (System.nanoTime() - t0) / 1_000_000;
          child.waitFor(random.nextInt(2000), MILLISECONDS);
        } else {
          child.waitFor(random.nextInt(3000), MILLISECONDS);
        }
      }
      long at = (System.nanoTime() - t0) / 1_000_000;
      if (child.isAlive()) {
        child.destroyForcibly();
        assertTrue(child.waitFor(30, SECONDS), "a killed migrate did not end");
        killed++;
      } else if (child.exitValue() == 1
          && TierdexProcess.tail(log, 20).contains("is in use by")) {
        refusedByLease++; // the killed holder's lease had not lapsed yet: run again
        assertTrue(refusedByLease <= 5, "refused by the lease too often:\n"
            + TierdexProcess.tail(log, 20));
        continue;
      } else {
        assertEquals(0, child.exitValue(), "run " + history.size() + " failed:\n"
            + TierdexProcess.tail(log, 60));
      }
      // Between runs every planned path holds the original or its complete copy: the swap
      // is one rename.
      assertPathsHoldTheirBytes(p.files());
      interruptedCopies += temporaryCopies(p.src()).isEmpty() ? 0 : 1;
      history.add(String.format("%2d %-12s %-7s at %5d ms%s%s: %s", history.size(), moment,
          child.exitValue() == 137 ? "killed" : "exit " + child.exitValue(), at,
          journalAt < 0 ? "" : String.format(" (journal at %5d ms)", journalAt),
          ledgerAt < 0 ? "" : String.format(" (ledger at %5d ms)", ledgerAt), phase(p)));
    }
    long loopMs = (System.nanoTime() - t) / 1_000_000;

    Path finalLog = p.base().resolve("final.log");
    long t1 = System.nanoTime();
    Process last = TierdexProcess.start(finalLog, p.migrate("--master", "local[2]",
        "--threads", "2", "--lease-ttl", "3s"));
    assertTrue(last.waitFor(300, SECONDS), "the final migrate did not end");
    String out = TierdexProcess.tail(finalLog, 60);
    System.out.println("kills (seed " + seed + "; " + loopMs + " ms; " + refusedByLease
        + " runs refused by a lease not lapsed yet):\n  " + String.join("\n  ", history)
        + "\nfinal run, " + (System.nanoTime() - t1) / 1_000_000 + " ms:\n" + out);
    assertEquals(0, last.exitValue(), out);
    assertTrue(interruptedCopies > 0, "no kill hit a copy in flight; the moves are too short");

    assertPathsHoldTheirBytes(p.files());
    assertNoTemporaryCopies(p.src());
    Map<String, Row> ledger = ledger(p);
    for (Path f : p.files().keySet()) {
      assertMigrated(p, ledger, f);
    }
    assertEachSettledOnce(p);
    Map<String, Row> tiering = rowsByPath(SharedSpark.get().read().parquet(
        p.state().resolve("tiering").resolve("run=" + p.plan()).toString()).collectAsList());
    assertEquals(p.files().size(), tiering.size(), "tier state rows");
    for (Path f : p.files().keySet()) {
      Row row = tiering.get(f.toString());
      assertEquals(inode(f), row.getAs("inode"), f + ": tier state inode");
      assertEquals("slow", row.getAs("pool"), f + ": tier state pool");
    }
  }

  /**
   * When a run is killed: during start-up, 0-3 s after its first journal (moving files, or
   * with no bandwidth cap after the moves), or 0-2 s after it wrote its ledger.
   */
  private enum Moment { START_UP, MOVING, AFTER_MOVES, AFTER_LEDGER }

  /** Polls until {@code done}, or the child ends (it finished, or failed: the caller sees). */
  private static void awaitWhileAlive(Process child, Path log, String what,
      java.util.concurrent.Callable<Boolean> done) throws Exception {
    long deadline = System.nanoTime() + SECONDS.toNanos(180);
    while (child.isAlive() && !done.call()) {
      assertTrue(System.nanoTime() < deadline, "no " + what + " after 180 s:\n"
          + TierdexProcess.tail(log, 40));
      Thread.sleep(10);
    }
  }

  /** The ledger directory's inode (a new one each time a run writes it), or null. */
  private static Object ledgerId(Planned p) {
    try {
      return Files.getAttribute(p.runDir().resolve("ledger"), "unix:ino",
          LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      return null;
    }
  }

  /** How far a killed migration got: files settled in the journals, and what it wrote. */
  private static String phase(Planned p) throws IOException {
    Path tiering = p.state().resolve("tiering");
    return settledInJournals(p).size() + "/" + p.files().size() + " settled"
        + (Files.exists(p.runDir().resolve("_ledger-partial")) ? ", ledger half-written" : "")
        + (Files.exists(p.runDir().resolve("ledger")) ? ", ledger" : "")
        + (Files.exists(tiering.resolve("_partial-" + p.plan())) ? ", tier state half-written"
            : "")
        + (Files.exists(tiering.resolve("run=" + p.plan())) ? ", tier state" : "")
        + (Files.exists(p.runDir().resolve(Migration.SUMMARY)) ? ", migration.json" : "")
        + ", " + temporaryCopies(p.src()).size() + " temporary copies";
  }

  // ---------------------------------------------------------------------------------------
  // 2. A task that fails in the middle of its bin.

  @Test
  void aTaskFailingMidBinIsRetriedAndEveryFileMovesExactlyOnce() throws Exception {
    Planned p = plan("retried", 40, 64 << 10, 1 << 20, 2);
    TierdexCli.Run run = TierdexCli.run(p.migrate("--threads", "2", "--fail-after", "3"));
    assertEquals(0, run.exit(), run.describe());

    assertPathsHoldTheirBytes(p.files());
    assertNoTemporaryCopies(p.src());
    Map<String, Row> ledger = ledger(p);
    for (Path f : p.files().keySet()) {
      assertMigrated(p, ledger, f);
    }
    assertEachSettledOnce(p);
    Map<Integer, Integer> byAttempt = new TreeMap<>();
    for (Row r : ledger.values()) {
      byAttempt.merge(r.<Integer>getAs("attempt"), 1, Integer::sum);
    }
    System.out.println("files settled per task attempt: " + byAttempt);
    assertTrue(byAttempt.getOrDefault(0, 0) >= 3, "files settled per attempt: " + byAttempt);
    assertTrue(byAttempt.keySet().stream().anyMatch(a -> a >= 1),
        "no file settled by a retry: " + byAttempt);
  }

  // ---------------------------------------------------------------------------------------
  // 3. Two migrate commands on one state directory.

  @Test
  void aSecondMigrateOnTheSameStateIsRefusedNamingTheHolder() throws Exception {
    Planned p = plan("concurrent", 20, 512 << 10, 1 << 20, 2);
    Path log = p.base().resolve("first.log");
    Process first = TierdexProcess.start(log, p.migrate("--master", "local[2]",
        "--threads", "2", "--bandwidth", "2MiB"));
    try {
      JsonNode holder = waitForLease(p.state(), first, log);
      assertTrue(first.isAlive(), "the first migrate ended before the second ran:\n"
          + TierdexProcess.tail(log, 40));
      TierdexCli.Run second = TierdexCli.run(p.migrate());
      assertEquals(1, second.exit(), second.describe());
      assertTrue(second.err().contains("is in use by 'migrate --plan " + p.plan() + "' (pid "
          + first.pid() + " on " + holder.get("host").asText()), second.describe());
      assertTrue(first.isAlive(), "the first migrate ended while the second was refused;"
          + " the refusal proves nothing:\n" + TierdexProcess.tail(log, 40));

      assertTrue(first.waitFor(180, SECONDS), "the first migrate did not end");
      assertEquals(0, first.exitValue(), TierdexProcess.tail(log, 60));
    } finally {
      first.destroyForcibly();
    }
    assertPathsHoldTheirBytes(p.files());
    assertNoTemporaryCopies(p.src());
    Map<String, Row> ledger = ledger(p);
    for (Path f : p.files().keySet()) {
      assertMigrated(p, ledger, f);
    }
    assertEachSettledOnce(p);
    JsonNode released = leaseHolders(p.state()).get(0);
    assertEquals(first.pid(), released.get("pid").asLong());
    assertTrue(released.hasNonNull("released"), "the first migrate kept its lease: " + released);
  }

  /** The lease the child {@code holder} took, once it holds it. */
  private static JsonNode waitForLease(Path state, Process holder, Path log) throws Exception {
    long deadline = System.nanoTime() + SECONDS.toNanos(120);
    while (System.nanoTime() < deadline && holder.isAlive()) {
      for (JsonNode h : leaseHolders(state)) {
        if (h.get("pid").asLong() == holder.pid() && !h.hasNonNull("released")) {
          return h;
        }
      }
      Thread.sleep(20);
    }
    return fail("the child migrate never held the lease:\n" + TierdexProcess.tail(log, 40));
  }

  /** The lease files' contents, newest generation first. */
  private static List<JsonNode> leaseHolders(Path state) throws IOException {
    Path dir = state.resolve("lease");
    List<JsonNode> holders = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return holders;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(f -> f.getFileName().toString().matches("\\d+\\.json"))
          .sorted((a, b) -> b.getFileName().compareTo(a.getFileName())).toList()) {
        try {
          JsonNode n = JSON.readTree(Files.readAllBytes(f));
          if (n != null && n.hasNonNull("pid")) {
            holders.add(n);
          }
        } catch (IOException e) {
          // being written, or gone: look again
        }
      }
    }
    return holders;
  }

  // ---------------------------------------------------------------------------------------
  // 4. Files deleted, renamed and appended to after the plan.

  @Test
  void filesDeletedRenamedOrAppendedAfterThePlanAreLeftAsTheyAre() throws Exception {
    Planned p = plan("changed", 12, 16 << 10, 256 << 10, 2);
    List<Path> paths = new ArrayList<>(p.files().keySet());
    Path deleted = paths.get(0);
    Path renamed = paths.get(1);
    Path appended = paths.get(2);
    Files.delete(deleted);
    Path renamedTo = renamed.resolveSibling(renamed.getFileName() + " renamed");
    Files.move(renamed, renamedTo);
    String renamedInode = inode(renamedTo);
    byte[] original = Files.readAllBytes(appended);
    String appendedInode = inode(appended);
    byte[] extra = "appended after the plan\n".getBytes(StandardCharsets.UTF_8);
    Files.write(appended, extra, StandardOpenOption.APPEND);

    TierdexCli.Run run = TierdexCli.run(p.migrate("--threads", "2"));
    assertEquals(0, run.exit(), "skipped files are not failures\n" + run.describe());

    Map<String, Row> ledger = ledger(p);
    assertEquals(p.files().size(), ledger.size(), "one ledger row per planned file");
    assertOutcome(ledger, deleted, "VANISHED", "no longer exists");
    assertOutcome(ledger, renamed, "VANISHED", "no longer exists");
    assertOutcome(ledger, appended, "SKIPPED_CHANGED", "changed since it was planned (size "
        + original.length + " -> " + (original.length + extra.length));
    assertFalse(Files.exists(deleted, LinkOption.NOFOLLOW_LINKS), deleted + " came back");
    assertFalse(Files.exists(renamed, LinkOption.NOFOLLOW_LINKS), renamed + " came back");
    assertEquals(p.files().get(renamed), content(renamedTo), "the renamed file's bytes");
    assertEquals(renamedInode, inode(renamedTo), "the renamed file was rewritten");
    byte[] both = new byte[original.length + extra.length];
    System.arraycopy(original, 0, both, 0, original.length);
    System.arraycopy(extra, 0, both, original.length, extra.length);
    assertEquals(content(both), content(appended), "the appended file lost bytes");
    assertEquals(appendedInode, inode(appended), "the appended file was rewritten");
    for (Path f : paths.subList(3, paths.size())) {
      assertEquals(p.files().get(f), content(f), f + " changed");
      assertMigrated(p, ledger, f);
    }
    assertNoTemporaryCopies(p.src());
  }

  // ---------------------------------------------------------------------------------------
  // 5. A planned directory swapped for a link to a directory outside the root.

  @Test
  void aDirectorySwappedForALinkOutOfTheRootFailsItsFilesAndTouchesNothingOutside()
      throws Exception {
    Planned p = plan("linked", 15, 16 << 10, 256 << 10, 2);
    Path swapped = p.src().resolve("d1");
    Path away = p.base().resolve("away");
    Path outside = p.base().resolve("outside");
    List<Path> under = p.files().keySet().stream().filter(f -> f.startsWith(swapped)).toList();
    assertEquals(5, under.size(), "planned files under " + swapped);
    Files.move(swapped, away);
    // The link's target holds files of the same names, other bytes, old times.
    Random r = new Random(5);
    for (Path f : under) {
      Path twin = outside.resolve(swapped.relativize(f));
      Files.createDirectories(twin.getParent());
      byte[] other = new byte[(int) Files.size(away.resolve(swapped.relativize(f)))];
      r.nextBytes(other);
      Files.write(twin, other);
      Files.setLastModifiedTime(twin, FileTime.fromMillis(1_500_000_000_000L));
    }
    try (Stream<Path> dirs = Files.walk(outside)) {
      for (Path d : dirs.filter(Files::isDirectory).toList()) {
        Files.setLastModifiedTime(d, FileTime.fromMillis(1_500_000_000_000L));
      }
    }
    Map<String, String> outsideBefore = listing(outside);
    Files.createSymbolicLink(swapped, outside);

    TierdexCli.Run run = TierdexCli.run(p.migrate("--threads", "2"));
    assertEquals(1, run.exit(), "a FAILED file makes the exit code 1\n" + run.describe());

    assertEquals(outsideBefore, listing(outside), "the directory outside the root changed");
    Map<String, Row> ledger = ledger(p);
    assertEquals(p.files().size(), ledger.size(), "one ledger row per planned file");
    for (Path f : under) {
      assertOutcome(ledger, f, "FAILED", swapped + " is a symbolic link; links are never"
          + " followed, refused");
      assertEquals(p.files().get(f), content(away.resolve(swapped.relativize(f))),
          f + ": the real file (moved away with its directory) changed");
    }
    for (Path f : p.files().keySet()) {
      if (!under.contains(f)) {
        assertEquals(p.files().get(f), content(f), f + " changed");
        assertMigrated(p, ledger, f);
      }
    }
    assertNoTemporaryCopies(p.src());
    assertNoTemporaryCopies(away);
    assertTrue(run.out().contains("FAILED"), run.describe());
  }

  /** Every entry below {@code dir}, not following links: type, size, bytes, mtime, inode. */
  private static Map<String, String> listing(Path dir) throws IOException {
    Map<String, String> seen = new TreeMap<>();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path f : all.toList()) {
        Map<String, Object> a = Files.readAttributes(f, "unix:ino,size,lastModifiedTime,ctime,"
            + "mode,nlink", LinkOption.NOFOLLOW_LINKS);
        String bytes = Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)
            ? String.valueOf(content(f)) : "";
        seen.put(dir.relativize(f).toString(), a.get("ino") + " " + a.get("mode") + " "
            + a.get("nlink") + " " + a.get("size") + " " + a.get("lastModifiedTime") + " "
            + a.get("ctime") + " " + bytes);
      }
    }
    return seen;
  }

  // ---------------------------------------------------------------------------------------
  // 6. A file held open by another process.

  @Test
  void aFileHeldOpenByAnotherProcessIsSkippedAndUntouched() throws Exception {
    Planned p = plan("open", 6, 16 << 10, 256 << 10, 2);
    Path held = p.files().keySet().iterator().next();
    String heldInode = inode(held);
    Process sleeper = new ProcessBuilder("sh", "-c", "exec sleep 60 < \"$0\"", held.toString())
        .start();
    try {
      Path stdin = Path.of("/proc", String.valueOf(sleeper.pid()), "fd", "0");
      long deadline = System.nanoTime() + SECONDS.toNanos(10);
      while (!(Files.isSymbolicLink(stdin) && Files.readSymbolicLink(stdin).equals(held))) {
        assertTrue(System.nanoTime() < deadline && sleeper.isAlive(), "sleep never opened "
            + held);
        Thread.sleep(10);
      }
      TierdexCli.Run run = TierdexCli.run(p.migrate("--threads", "2"));
      assertEquals(0, run.exit(), "an open file is skipped, not a failure\n" + run.describe());
      assertTrue(sleeper.isAlive(), "sleep ended before the migrate did");

      Map<String, Row> ledger = ledger(p);
      assertEquals(p.files().size(), ledger.size(), "one ledger row per planned file");
      assertOutcome(ledger, held, "SKIPPED_OPEN", "open by");
      assertEquals(heldInode, inode(held), held + " was rewritten");
      assertPathsHoldTheirBytes(p.files());
      for (Path f : p.files().keySet()) {
        if (!f.equals(held)) {
          assertMigrated(p, ledger, f);
        }
      }
      assertNoTemporaryCopies(p.src());
    } finally {
      sleeper.destroyForcibly();
    }
  }

  // ---------------------------------------------------------------------------------------
  // The tree, the plan, and what every test checks.

  /**
   * {@code count} files of random bytes (minSize to maxSize) in fifteen directories under
   * {@code tmp/name/tree}, indexed, snapshot and planned into {@code bins} bins.
   */
  private Planned plan(String name, int count, int minSize, int maxSize, int bins)
      throws Exception {
    Path base = tmp.resolve(name);
    Path src = base.resolve("tree");
    Random r = new Random(name.hashCode());
    Map<Path, Content> files = new TreeMap<>();
    for (int i = 0; i < count; i++) {
      Path dir = src.resolve("d" + (i % 3)).resolve("e" + (i % 5));
      Files.createDirectories(dir);
      Path f = dir.resolve("f" + i + (i % 4 == 0 ? " with space" : "") + ".dat");
      byte[] data = new byte[minSize + r.nextInt(maxSize - minSize + 1)];
      r.nextBytes(data);
      Files.write(f, data);
      files.put(f, content(data));
    }
    Path state = base.resolve("state");
    String id = PlannedTree.plan(base, src, state, bins);
    return new Planned(base, src, state, id, files);
  }

  static Content content(Path f) throws IOException {
    return content(Files.readAllBytes(f));
  }

  static Content content(byte[] data) {
    CRC32C crc = new CRC32C();
    crc.update(data);
    return new Content(crc.getValue(), data.length);
  }

  static String inode(Path f) throws IOException {
    return String.valueOf(Files.getAttribute(f, "unix:ino", LinkOption.NOFOLLOW_LINKS));
  }

  /** Every planned file is at its path with exactly the bytes it had when planned. */
  private static void assertPathsHoldTheirBytes(Map<Path, Content> files) throws IOException {
    for (Map.Entry<Path, Content> e : files.entrySet()) {
      assertEquals(e.getValue(), content(e.getKey()), e.getKey() + ": bytes differ");
    }
  }

  private static List<Path> temporaryCopies(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(f -> f.getFileName().toString().startsWith(".tierdex-migrating."))
          .toList();
    }
  }

  private static void assertNoTemporaryCopies(Path root) throws IOException {
    assertEquals(List.of(), temporaryCopies(root), "temporary copies left under " + root);
  }

  /** The plan's ledger by path; fails if a path has more than one row. */
  private static Map<String, Row> ledger(Planned p) {
    return rowsByPath(SharedSpark.get().read().parquet(p.runDir().resolve("ledger").toString())
        .collectAsList());
  }

  private static Map<String, Row> rowsByPath(List<Row> rows) {
    Map<String, Row> byPath = new HashMap<>();
    for (Row r : rows) {
      Row before = byPath.put(r.getAs("path"), r);
      assertEquals(null, before, "two rows for " + r.getAs("path"));
    }
    return byPath;
  }

  /** Moved: MIGRATED, a new inode that is the file's inode now, its checksum and size. */
  private static void assertMigrated(Planned p, Map<String, Row> ledger, Path f)
      throws IOException {
    Row row = ledger.get(f.toString());
    assertTrue(row != null, f + ": no ledger row");
    assertEquals("MIGRATED", row.getAs("outcome"), f + ": " + row.getAs("reason"));
    assertEquals(inode(f), row.getAs("new_inode"), f + ": ledger new_inode");
    assertNotEquals(row.<String>getAs("inode"), row.<String>getAs("new_inode"),
        f + ": not rewritten");
    assertEquals(String.format("crc32c:%08x", p.files().get(f).crc()), row.getAs("checksum"),
        f + ": ledger checksum");
    assertEquals(p.files().get(f).size(), (long) row.<Long>getAs("bytes"), f + ": bytes");
  }

  private static void assertOutcome(Map<String, Row> ledger, Path f, String outcome,
      String reason) {
    Row row = ledger.get(f.toString());
    assertTrue(row != null, f + ": no ledger row");
    assertEquals(outcome, row.getAs("outcome"), f + ": " + row.getAs("reason"));
    String why = row.getAs("reason");
    assertTrue(why != null && why.contains(reason), f + ": reason '" + why + "' does not say '"
        + reason + "'");
  }

  /** The plan's journal files, every bin and attempt. */
  private static List<Path> journals(Planned p) throws IOException {
    Path dir = p.runDir().resolve("journal");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(f -> f.getFileName().toString().endsWith(".jsonl")).toList();
    }
  }

  /** How many complete "done" lines each path has across all journals of the plan. */
  private static Map<String, Integer> settledInJournals(Planned p) throws IOException {
    Map<String, Integer> done = new TreeMap<>();
    for (Path j : journals(p)) {
      for (String line : Files.readAllLines(j, StandardCharsets.UTF_8)) {
        JsonNode n;
        try {
          n = JSON.readTree(line);
        } catch (IOException e) {
          continue; // torn by a kill
        }
        if (n != null && "done".equals(n.path("k").asText())) {
          done.merge(n.get("path").asText(), 1, Integer::sum);
        }
      }
    }
    return done;
  }

  /** Every planned file was settled once: no attempt or rerun moved a file twice. */
  private static void assertEachSettledOnce(Planned p) throws IOException {
    Map<String, Integer> done = settledInJournals(p);
    Map<String, Integer> expected = new TreeMap<>();
    for (Path f : p.files().keySet()) {
      expected.put(f.toString(), 1);
    }
    assertEquals(expected, done, "done lines per path in " + journals(p));
  }
}
