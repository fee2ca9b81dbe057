package io.tierdex.cli;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tierdex.snapshot.Manifest;
import io.tierdex.snapshot.StateDir;
import io.tierdex.testing.SharedSpark;
import io.tierdex.testing.TierdexCli;
import io.tierdex.testing.TierdexProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tierdex run --mode yes} killed (SIGKILL) in the middle of each stage and at each
 * stage boundary, then run again until done: the night commits exactly once, with one
 * snapshot, one diff and one plan, every planned file moved once, and no file's bytes lost
 * after any kill. Each kill is a child JVM; the seed is printed so a run can be replayed.
 */
class RunFaultsTest {
  private static final FileTime OLD = FileTime.fromMillis(1_577_836_800_000L); // 2020-01-01
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NIGHT = "2026-11-21";
  /** The stages in run order, each with the longest wait after its banner for a kill. */
  private static final Map<String, Integer> STAGES = new LinkedHashMap<>();

  static {
    STAGES.put("index", 400);
    STAGES.put("snapshot", 2500);
    STAGES.put("diff", 2500);
    STAGES.put("plan", 2500);
    STAGES.put("migrate", 3000);
    STAGES.put("report", 1500);
    STAGES.put("commit", 0); // one rename: there is no middle to kill in
  }

  @TempDir Path tmp;
  private Path root;
  private Path config;
  private final Map<Path, byte[]> files = new LinkedHashMap<>();
  private final List<Path> cold = new ArrayList<>();

  @Test
  void killedInEveryStageAndAtEveryBoundaryTheNightCommitsExactlyOnce() throws Exception {
    long seed = Long.getLong("tierdex.faults.seed", System.nanoTime());
    SplittableRandom random = new SplittableRandom(seed);
    tree(random);
    // The previous night: a snapshot to diff with, and a plan of its own.
    TierdexCli.Run first = TierdexCli.run("run", "--config", config, "--mode", "defer",
        "--run-date", "2026-11-20");
    assertEquals(Tierdex.OK, first.exit(), first.describe());
    changeTheTree();

    Path log = tmp.resolve("run.log");
    List<String> history = new ArrayList<>();
    boolean refusedWhilePaused = false;
    for (Map.Entry<String, Integer> stage : STAGES.entrySet()) {
      String name = stage.getKey();
      if (stage.getValue() > 0) {
        // In the middle: a random moment after the stage's banner. A late kill finds the
        // run paused at the stage's end, which is the boundary case again.
        long offset = Files.exists(log) ? Files.size(log) : 0;
        Process child = start(log, name);
        String seen = await(child, log, offset, "== " + name + " ==");
        long wait = random.nextLong(stage.getValue());
        child.waitFor(wait, MILLISECONDS);
        boolean paused = logSince(log, offset).contains("paused after " + name);
        kill(child, log, seen);
        history.add(String.format("%-8s killed %4d ms after its banner%s", name, wait,
            paused ? " (it had finished: paused at its end)" : ""));
        assertNothingLost("killed during " + name);
      }
      long offset = Files.exists(log) ? Files.size(log) : 0;
      Process child = start(log, name);
      String seen = await(child, log, offset, "paused after " + name);
      if (name.equals("plan")) {
        refusedWhilePaused = aSecondRunIsRefused(child);
      }
      kill(child, log, seen);
      history.add(String.format("%-8s killed at its end", name));
      assertNothingLost("killed after " + name);
      assertEquals(name.equals("commit") ? 1 : 0, committedNights(), "nights committed after"
          + " a kill after " + name);
    }
    assertTrue(refusedWhilePaused, "no second run was refused");

    TierdexCli.Run last = TierdexProcess.run(tmp, Map.of("spark.ui.enabled", "false"),
        java.time.Duration.ofMinutes(3), "run", "--config", config, "--mode", "yes",
        "--run-date", NIGHT, "--master", "local[2]");
    System.out.println("kills (seed " + seed + "):\n  " + String.join("\n  ", history)
        + "\nfinal run:\n" + last.out());
    assertEquals(Tierdex.OK, last.exit(), last.describe());
    assertTrue(last.out().contains("committed already"), last.describe());

    StateDir state = StateDir.open(tmp.resolve("state").toString(),
        SharedSpark.get().sparkContext().hadoopConfiguration());
    List<Manifest> nights = state.committed().stream().filter(m -> m.nightly() != null
        && m.nightly().runDate().equals(NIGHT)).toList();
    assertEquals(1, nights.size(), "committed nights");
    Manifest.NightlyInfo night = nights.get(0).nightly();
    assertEquals(lastLine(last), night.summary());
    assertEquals(List.copyOf(STAGES.keySet()).subList(0, 6),
        night.phases().stream().map(Manifest.Phase::name).toList(), "phases");
    assertEquals(2, kinds(state, "snapshot"), "snapshots: one per night");
    assertEquals(1, kinds(state, "diff"), "diffs");
    assertEquals(2, kinds(state, "plan"), "plans: one per night");

    // Every planned file moved once, and the report says what the ledger says.
    Map<String, Row> ledger = new HashMap<>();
    for (Row r : SharedSpark.get().read().parquet(tmp.resolve("state/runs")
        .resolve(night.plan()).resolve("ledger").toString()).collectAsList()) {
      assertEquals(null, ledger.put(r.getAs("path"), r), "two ledger rows for " + r);
    }
    assertEquals(cold.size(), ledger.size(), "ledger rows");
    long bytes = 0;
    for (Path f : cold) {
      Row r = ledger.get(f.toString());
      assertEquals("MIGRATED", r.getAs("outcome"), f + ": " + r);
      assertEquals(String.valueOf(Files.getAttribute(f, "unix:ino")), r.getAs("new_inode"),
          f + ": inode");
      bytes += Files.size(f);
    }
    JsonNode report = JSON.readTree(tmp.resolve("state/runs").resolve(nights.get(0).run())
        .resolve("report.json").toFile());
    assertEquals(cold.size(), report.at("/moves/moved_files").asLong(), "report: files moved");
    assertEquals(bytes, report.at("/moves/moved_bytes").asLong(), "report: bytes moved");
    Map<String, Long> changes = new HashMap<>();
    report.at("/changes/kinds").forEach(k -> changes.put(k.get("kind").asText(),
        k.get("entries").asLong()));
    assertEquals(3L, changes.get("ADDED"), "report: files added since the last night");
    assertEquals(1L, changes.get("REMOVED"), "report: files removed");
    assertEquals(1L, changes.get("MODIFIED"), "report: files modified");
    try (Stream<Path> all = Files.walk(root)) {
      assertEquals(List.of(), all.filter(f -> f.getFileName().toString()
          .startsWith(".tierdex-")).toList(), "temporary copies left");
    }
  }

  private void tree(SplittableRandom random) throws Exception {
    root = tmp.resolve("projects");
    for (int i = 0; i < 24; i++) {
      byte[] bytes = new byte[256 * 1024 + random.nextInt(256 * 1024)];
      random.nextBytes(bytes);
      cold.add(write(root.resolve("p" + i % 4).resolve("big-" + i + ".h5"), bytes));
    }
    for (int i = 0; i < 12; i++) {
      write(root.resolve("p" + i % 4).resolve("small-" + i + ".txt"),
          ("small file " + i).getBytes(StandardCharsets.UTF_8));
    }
    // 2 MiB/s: the moves last a few seconds, long enough to be killed in.
    config = RunCommandTest.configure(tmp.resolve("conf"),
        "size >= 64KiB AND mtime older than 30d", "  bandwidth: 2MiB\n");
  }

  private Path write(Path f, byte[] bytes) throws Exception {
    Files.createDirectories(f.getParent());
    Files.write(f, bytes);
    Files.setLastModifiedTime(f, OLD);
    files.put(f, bytes);
    return f;
  }

  /** Between the nights: three files added, one removed, one appended to. */
  private void changeTheTree() throws Exception {
    for (int i = 0; i < 3; i++) {
      write(root.resolve("p0").resolve("new-" + i + ".txt"),
          ("new " + i).getBytes(StandardCharsets.UTF_8));
    }
    Path gone = root.resolve("p1").resolve("small-1.txt");
    Files.delete(gone);
    files.remove(gone);
    Path appended = root.resolve("p2").resolve("small-2.txt");
    Files.writeString(appended, " and more", StandardOpenOption.APPEND);
    files.put(appended, Files.readAllBytes(appended));
  }

  private Process start(Path log, String pauseAt) throws Exception {
    return TierdexProcess.start(log, "run", "--config", config, "--mode", "yes",
        "--run-date", NIGHT, "--master", "local[2]", "--pause-at", pauseAt);
  }

  /** Waits for {@code line} in what the child wrote since {@code offset}. */
  private static String await(Process child, Path log, long offset, String line)
      throws Exception {
    long deadline = System.nanoTime() + SECONDS.toNanos(180);
    while (!logSince(log, offset).contains(line)) {
      assertTrue(child.isAlive(), "the run ended before '" + line + "':\n"
          + TierdexProcess.tail(log, 40));
      assertTrue(System.nanoTime() < deadline, "no '" + line + "' after 180 s:\n"
          + TierdexProcess.tail(log, 40));
      Thread.sleep(10);
    }
    return line;
  }

  private static void kill(Process child, Path log, String after) throws Exception {
    assertTrue(child.isAlive(), "the run ended by itself after '" + after + "':\n"
        + TierdexProcess.tail(log, 40));
    child.destroyForcibly(); // SIGKILL: no shutdown hook, no lease released
    assertTrue(child.waitFor(30, SECONDS), "a killed run did not end");
  }

  private static String logSince(Path log, long offset) throws Exception {
    byte[] all = Files.readAllBytes(log);
    return new String(all, (int) offset, all.length - (int) offset, StandardCharsets.UTF_8);
  }

  /** While {@code holder} is paused holding the lease, a second run is refused, naming it. */
  private boolean aSecondRunIsRefused(Process holder) throws Exception {
    TierdexCli.Run second = TierdexCli.run("run", "--config", config, "--mode", "yes",
        "--run-date", NIGHT);
    assertEquals(Tierdex.FAILED, second.exit(), second.describe());
    assertTrue(second.err().contains("is in use by 'run --config " + config
        + " --mode yes --run-date " + NIGHT + "' (pid " + holder.pid()), second.describe());
    assertTrue(holder.isAlive(), "the holder ended while the second run was refused");
    return true;
  }

  /** After every kill each file holds exactly its bytes: moved or not, nothing is lost. */
  private void assertNothingLost(String when) throws Exception {
    for (Map.Entry<Path, byte[]> e : files.entrySet()) {
      assertArrayEquals(e.getValue(), Files.readAllBytes(e.getKey()), when + ": "
          + e.getKey());
    }
  }

  private long committedNights() {
    StateDir state = StateDir.open(tmp.resolve("state").toString(),
        SharedSpark.get().sparkContext().hadoopConfiguration());
    return state.committed().stream().filter(m -> m.nightly() != null
        && m.nightly().runDate().equals(NIGHT)).count();
  }

  private static long kinds(StateDir state, String kind) {
    return state.committed().stream().filter(m -> m.kind().equals(kind)).count();
  }

  private static String lastLine(TierdexCli.Run r) {
    String[] lines = r.out().strip().split("\n");
    return lines[lines.length - 1];
  }
}
