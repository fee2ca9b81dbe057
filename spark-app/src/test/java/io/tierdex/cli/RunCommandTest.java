package io.tierdex.cli;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.sum;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tierdex.snapshot.Manifest;
import io.tierdex.snapshot.StateDir;
import io.tierdex.testing.SharedSpark;
import io.tierdex.testing.Shell;
import io.tierdex.testing.TierdexCli;
import io.tierdex.testing.TierdexCli.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tierdex run --config}: its three modes, a bad configuration, a resumed run. */
class RunCommandTest {
  private static final FileTime OLD = FileTime.fromMillis(1_577_836_800_000L); // 2020-01-01
  private static final int COLD = 12;

  @TempDir Path tmp;
  private Path root;
  private Path config;
  private Path policies;
  private final Map<Path, byte[]> cold = new LinkedHashMap<>();

  @BeforeEach
  void tree() throws Exception {
    SharedSpark.get();
    root = tmp.resolve("projects");
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < COLD; i++) {
      byte[] bytes = new byte[64 * 1024 + i];
      random.nextBytes(bytes);
      Path f = root.resolve("p" + i % 3).resolve("big-" + i + ".h5");
      Files.createDirectories(f.getParent());
      Files.write(f, bytes);
      Files.setLastModifiedTime(f, OLD);
      cold.put(f, bytes);
    }
    for (int i = 0; i < 8; i++) {
      Path f = root.resolve("p" + i % 3).resolve("small-" + i + ".txt");
      Files.writeString(f, "small file " + i);
      Files.setLastModifiedTime(f, OLD);
    }
    config = configure(tmp.resolve("conf"), "size >= 64KiB AND mtime older than 30d", "");
    policies = config.resolveSibling("policies.yaml");
  }

  /**
   * {@code dir/tierdex.yaml} for the tree {@code ../projects} (index, state beside it, 2
   * bins, 2 mover threads, plus {@code migrate} lines), and its one-rule policy file.
   */
  static Path configure(Path dir, String condition, String migrate) throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("policies.yaml"), policy(condition));
    Path config = dir.resolve("tierdex.yaml");
    Files.writeString(config, """
        source:
          root: ../projects
          index: ../index
        state: ../state
        policies: policies.yaml
        plan:
          bins: 2
        migrate:
          threads: 2
        """ + migrate);
    return config;
  }

  private static String policy(String condition) {
    return """
        min_age: 0s
        default_pool: fast
        pools:
          - {name: fast, id: 1}
          - {name: slow, id: 2}
        rules:
          - name: cold
            from: fast
            to: slow
            condition: "%s"
        """.formatted(condition);
  }

  @Test
  void testDeferAndYes() throws Exception {
    Map<Path, Object> inodes = inodes();

    Run test = TierdexCli.run("run", "--config", config, "--mode", "test",
        "--run-date", "2026-11-20");
    assertEquals(Tierdex.OK, test.exit(), test.describe());
    assertTrue(lastLine(test).contains("(test): planned " + COLD + " files (")
        && lastLine(test).endsWith("nothing written (test mode)"), test.describe());
    assertFalse(Files.exists(tmp.resolve("state")), "test mode wrote the state directory");
    assertFalse(Files.exists(tmp.resolve("index")), "test mode wrote the index");
    assertEquals(inodes, inodes(), "test mode touched files");

    Run defer = TierdexCli.run("run", "--config", config, "--mode", "defer",
        "--run-date", "2026-11-20");
    assertEquals(Tierdex.OK, defer.exit(), defer.describe());
    assertTrue(lastLine(defer).contains("(defer): planned " + COLD + " files (")
        && lastLine(defer).contains("none moved"), defer.describe());
    assertEquals(inodes, inodes(), "defer moved files");
    Manifest deferred = nightly("defer");
    assertTrue(Files.isDirectory(tmp.resolve("state/runs").resolve(deferred.nightly().plan())
        .resolve("plan")), "the plan is kept");

    Run yes = TierdexCli.run("run", "--config", config, "--mode", "yes",
        "--run-date", "2026-11-20");
    assertEquals(Tierdex.OK, yes.exit(), yes.describe());
    assertTrue(lastLine(yes).contains("(yes): moved " + COLD + " files (") && lastLine(yes)
        .contains(", 0 failed"), yes.describe());
    Map<Path, Object> after = inodes();
    for (Map.Entry<Path, byte[]> e : cold.entrySet()) {
      assertNotEquals(inodes.get(e.getKey()), after.get(e.getKey()), e.getKey() + " moved");
      assertArrayEquals(e.getValue(), Files.readAllBytes(e.getKey()), e.getKey() + " bytes");
    }
    Manifest done = nightly("yes");
    assertTrue(done.nightly().migrated());
    assertEquals(0, done.nightly().exitCode());
    assertEquals(lastLine(yes), done.nightly().summary());
    assertTrue(lastLine(yes).endsWith("; report: " + tmp.resolve("state/runs")
        .resolve(done.run()).resolve("report.html")), "the page's path ends the line");
    // The report's figures are the ledger's.
    Path runs = tmp.resolve("state/runs");
    List<Row> ledger = SharedSpark.get().read().parquet(runs.resolve(done.nightly().plan())
        .resolve("ledger").toString()).groupBy("outcome").agg(count("*").as("files"),
        sum("size").as("bytes")).collectAsList();
    assertEquals(1, ledger.size(), "ledger outcomes: " + ledger);
    assertEquals("MIGRATED", ledger.get(0).getAs("outcome"));
    JsonNode report = new ObjectMapper().readTree(runs.resolve(done.run())
        .resolve("report.json").toFile());
    assertEquals((long) COLD, ledger.get(0).<Long>getAs("files"));
    assertEquals(COLD, report.at("/moves/moved_files").asLong(), "report: files moved");
    assertEquals(cold.values().stream().mapToLong(b -> b.length).sum(),
        ledger.get(0).<Long>getAs("bytes"));
    assertEquals(ledger.get(0).<Long>getAs("bytes"), report.at("/moves/moved_bytes").asLong(),
        "report: bytes moved");
    assertFalse(report.at("/changes/kinds").isMissingNode(), "report: the changes since the"
        + " defer run's snapshot");
    assertTrue(Files.isRegularFile(tmp.resolve("state/runs").resolve(done.run())
        .resolve("report.html")), "the report page");
    assertEquals(List.of("index", "snapshot", "diff", "plan", "migrate", "report"),
        done.nightly().phases().stream().map(Manifest.Phase::name).toList());

    Run again = TierdexCli.run("run", "--config", config, "--mode", "yes",
        "--run-date", "2026-11-20");
    assertEquals(Tierdex.OK, again.exit(), again.describe());
    assertTrue(again.out().contains("committed already"), again.describe());
    assertEquals(after, inodes(), "a committed night is not run again");
  }

  @Test
  void aBadConfigurationStopsBeforeAnythingIsTouched() throws Exception {
    Files.writeString(config, Files.readString(config).replace("threads: 2", "thread: 2"));
    Run unknown = TierdexCli.run("run", "--config", config, "--mode", "yes");
    assertEquals(Tierdex.USAGE, unknown.exit(), unknown.describe());
    assertTrue(unknown.err().contains("unknown key 'migrate.thread'")
        && unknown.err().contains("migrate.threads"), unknown.describe());

    Files.writeString(config, Files.readString(config).replace("thread: 2", "threads: 2"));
    Run value = TierdexCli.run("run", "--config", config, "--mode", "yes", "--set",
        "migrate.threads=four");
    assertEquals(Tierdex.USAGE, value.exit(), value.describe());
    assertTrue(value.err().contains("migrate.threads: expected a whole number >= 0, got"
        + " 'four'"), value.describe());

    Files.writeString(config, Files.readString(config).replace("state: ../state\n", ""));
    Run missing = TierdexCli.run("run", "--config", config, "--mode", "yes");
    assertEquals(Tierdex.USAGE, missing.exit(), missing.describe());
    assertTrue(missing.err().contains("state is missing"), missing.describe());

    assertFalse(Files.exists(tmp.resolve("state")), "no state directory");
    assertFalse(Files.exists(tmp.resolve("index")), "no index");
  }

  /** The plan stage fails (a policy mistake); fixed and rerun, the run goes on from there. */
  @Test
  void anInterruptedRunResumesAtTheStageItStopped() throws Exception {
    Files.writeString(policies, policy("size >= 64KiB AND mtime older than thirty days"));
    Run broken = TierdexCli.run("run", "--config", config, "--mode", "yes",
        "--run-date", "2026-11-21");
    assertEquals(Tierdex.USAGE, broken.exit(), broken.describe());
    StateDir state = StateDir.open(tmp.resolve("state").toString(),
        SharedSpark.get().sparkContext().hadoopConfiguration());
    assertEquals(1, state.snapshots().size(), broken.describe());
    assertEquals(1, state.incomplete().size(), "the run did not commit");

    Files.writeString(policies, policy("size >= 64KiB AND mtime older than 30d"));
    Run resumed = TierdexCli.run("run", "--config", config, "--mode", "yes",
        "--run-date", "2026-11-21");
    assertEquals(Tierdex.OK, resumed.exit(), resumed.describe());
    assertTrue(resumed.out().contains("resuming after snapshot"), resumed.describe());
    assertEquals(1, state.snapshots().size(), "the snapshot was not taken again");
    assertTrue(lastLine(resumed).contains("moved " + COLD + " files ("), resumed.describe());
    assertEquals(List.of(), state.incomplete(), "the run committed");
    assertEquals(1, state.committed().stream().filter(m -> m.nightly() != null).count());
  }

  /**
   * Files the mover cannot replace (immutable) FAIL; the run still commits, and its exit
   * code says whether the failures exceed the larger of the two configured allowances.
   */
  @Test
  void failuresBeyondTheThresholdsFailTheRun() throws Exception {
    Assumptions.assumeTrue(Shell.isRoot(), "only root may set the immutable flag");
    List<Path> stuck = List.copyOf(cold.keySet()).subList(0, 3);
    for (Path f : stuck) {
      Shell.run("chattr", "+i", f.toString());
    }
    try {
      Run strict = TierdexCli.run("run", "--config", config, "--mode", "yes",
          "--run-date", "2026-11-22");
      assertEquals(Tierdex.FAILED, strict.exit(), strict.describe());
      assertTrue(lastLine(strict).contains("moved " + (COLD - 3) + " files (")
          && lastLine(strict).contains(", 3 failed"), strict.describe());
      assertEquals(1, nightly("yes").nightly().exitCode(), "committed with exit code 1");

      // The next night plans the 3 again: 99% of 3 allows 2 failures, still too few.
      Run percent = TierdexCli.run("run", "--config", config, "--mode", "yes",
          "--run-date", "2026-11-23", "--set", "thresholds.max_failed_percent=99");
      assertEquals(Tierdex.FAILED, percent.exit(), percent.describe());
      assertTrue(lastLine(percent).contains("moved 0 files (")
          && lastLine(percent).contains(", 3 failed"), percent.describe());

      Run allowed = TierdexCli.run("run", "--config", config, "--mode", "yes",
          "--run-date", "2026-11-24", "--set", "thresholds.max_failed_files=3",
          "--set", "thresholds.max_failed_percent=99");
      assertEquals(Tierdex.OK, allowed.exit(), allowed.describe());
      assertEquals(0, nightly("yes").nightly().exitCode());
    } finally {
      for (Path f : stuck) {
        Shell.run("chattr", "-i", f.toString());
      }
    }
    for (Map.Entry<Path, byte[]> e : cold.entrySet()) {
      assertArrayEquals(e.getValue(), Files.readAllBytes(e.getKey()), e.getKey() + " bytes");
    }
  }

  private Manifest nightly(String mode) {
    StateDir state = StateDir.open(tmp.resolve("state").toString(),
        SharedSpark.get().sparkContext().hadoopConfiguration());
    return state.committed().stream().filter(m -> m.nightly() != null
        && m.nightly().mode().equals(mode)).reduce((a, b) -> b).orElseThrow();
  }

  private Map<Path, Object> inodes() throws Exception {
    Map<Path, Object> m = new LinkedHashMap<>();
    try (var walk = Files.walk(root)) {
      for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
        m.put(f, Files.getAttribute(f, "unix:ino"));
      }
    }
    return m;
  }

  private static String lastLine(Run r) {
    String[] lines = r.out().strip().split("\n");
    return lines[lines.length - 1];
  }
}
