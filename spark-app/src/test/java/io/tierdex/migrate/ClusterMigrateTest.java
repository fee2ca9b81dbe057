package io.tierdex.migrate;

import static io.tierdex.migrate.MigrateTest.seen;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierdex.cli.Tierdex;
import io.tierdex.testing.SharedSpark;
import io.tierdex.testing.TierdexCli;
import io.tierdex.testing.TierdexProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tierdex migrate} on a real multi-JVM cluster: Spark's {@code local-cluster} master
 * (a standalone master and two workers inside the driver, each worker starting its own
 * executor JVM). The command runs in a child JVM, as a user runs it, so the local session the
 * other tests share is untouched; the tree, the index, the snapshot and the plan are made in
 * this JVM first.
 */
class ClusterMigrateTest {
  /** Two workers of one core and 1 GiB each: executors "0" and "1", one bin at a time. */
  static final String MASTER = "local-cluster[2,1,1024]";
  /** Spark's name for the executors' host: TierdexProcess pins it to loopback. */
  static final String HOST = "127.0.0.1";
  /** One migrate took 40-70 s with the two cores shared by other builds (load 8-12). */
  static final Duration TIMEOUT = Duration.ofSeconds(240);

  @TempDir
  Path tmp;

  /** A planned tree: the state directory, the plan's run id, each file as it was. */
  record Planned(Path source, Path state, String plan, Map<Path, MigrateTest.Seen> before) {}

  /** 16 files (64 KiB to 1 MiB, some names with spaces) in 4 directories, dealt into 4 bins. */
  Planned planned() throws Exception {
    Path src = tmp.resolve("tree");
    Random r = new Random(6);
    Map<Path, MigrateTest.Seen> before = new LinkedHashMap<>();
    for (int i = 0; i < 16; i++) {
      Path dir = src.resolve("group " + (i % 4));
      Files.createDirectories(dir);
      Path f = dir.resolve("f" + i + (i % 5 == 0 ? " copy" : "") + ".dat");
      byte[] data = new byte[(64 << 10) + r.nextInt(960 << 10)];
      r.nextBytes(data);
      Files.write(f, data);
      before.put(f, seen(f));
    }
    Path state = tmp.resolve("state");
    String plan = PlannedTree.plan(tmp, src, state, 4);
    return new Planned(src, state, plan, before);
  }

  /**
   * The Spark configuration of the child JVM: what executors started by a worker need to run
   * from the Maven class path (PLATFORM-NOTES), and a locality wait long enough that a bin
   * waits for its own executor instead of going, after the default 3 s, to the other one on
   * the same host (both executors are on 127.0.0.1, so the node-local fallback matches every
   * bin). The scheduler also waits for both executors to register before the first job.
   */
  static Map<String, String> clusterConf() {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("spark.executorEnv.SPARK_SCALA_VERSION", "2.13");
    c.put("spark.executorEnv.SPARK_TESTING", "1");
    c.put("spark.executor.extraClassPath", TierdexProcess.classPath());
    c.put("spark.executor.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
    c.put("spark.locality.wait", "30s");
    c.put("spark.scheduler.minRegisteredResourcesRatio", "1.0");
    c.put("spark.scheduler.maxRegisteredResourcesWaitingTime", "60s");
    c.put("spark.sql.shuffle.partitions", "4");
    c.put("spark.ui.enabled", "false");
    return c;
  }

  static String executor(String id) {
    return "executor_" + HOST + "_" + id;
  }

  @Test
  void twoExecutorProcessesMoveTheBinsTheirHostPreferenceNamed() throws Exception {
    Planned p = planned();
    // Executor 1 first: bins 0 and 2 prefer executor 1, bins 1 and 3 executor 0, so dealing
    // the bins to executors in order (0, 1, 0, 1) would not pass for honouring the preference.
    List<String> hosts = List.of(executor("1"), executor("0"));
    long t0 = System.nanoTime();
    TierdexCli.Run run = TierdexProcess.run(tmp, clusterConf(), TIMEOUT, "migrate",
        "--master", MASTER, "--hosts", String.join(",", hosts), "--plan", p.plan(),
        "--state", p.state(), "--threads", "2");
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertEquals(0, run.exit(), run.describe());
    System.out.printf("ClusterMigrateTest: migrate on %s took %.1f s%n", MASTER, seconds);

    List<Row> ledger = SharedSpark.get().read().parquet(p.state().resolve("runs")
        .resolve(p.plan()).resolve("ledger").toString()).collectAsList();
    assertEquals(p.before().size(), ledger.size(), "one ledger row per planned file");
    Map<Integer, Set<String>> executorsOfBin = new TreeMap<>();
    for (Row row : ledger) {
      Path f = Path.of(row.<String>getAs("path"));
      MigrateTest.Seen was = p.before().get(f);
      MigrateTest.Seen now = seen(f);
      assertEquals("MIGRATED", row.getAs("outcome"), f + ": " + row.getAs("reason"));
      assertNotEquals(was.inode(), now.inode(), f + " was not rewritten");
      assertEquals(was.crc(), now.crc(), f + ": bytes differ after the move");
      assertEquals(String.format("crc32c:%08x", was.crc()), row.getAs("checksum"));
      assertEquals(Files.size(f), (long) row.<Long>getAs("bytes"));
      assertEquals(now.inode(), row.getAs("new_inode"), f + ": ledger inode");
      executorsOfBin.computeIfAbsent(row.<Integer>getAs("bin"), b -> new TreeSet<>())
          .add(row.getAs("executor"));
    }
    System.out.println("ClusterMigrateTest: executors of each bin " + executorsOfBin);

    Map<Integer, Set<String>> preferred = new TreeMap<>();
    for (int bin = 0; bin < 4; bin++) {
      preferred.put(bin, Set.of(bin % 2 == 0 ? "1" : "0"));
    }
    assertEquals(preferred, executorsOfBin, "each bin on the executor its --hosts entry names"
        + "\n" + run.describe());
    // The summary names each task's host/executor: two processes, not the driver.
    String executors = run.out().lines().map(String::strip)
        .filter(l -> l.startsWith("executors: ")).findFirst().orElse("");
    assertTrue(executors.matches("executors: \\S+/0, \\S+/1"), run.describe());
  }

  @Test
  void aBinWhoseRootIsNotMountedFailsTheCommandWithTheReason() throws Exception {
    Planned p = planned();
    Path missing = tmp.resolve("not-mounted");
    long t0 = System.nanoTime();
    TierdexCli.Run run = TierdexProcess.run(tmp, clusterConf(), TIMEOUT, "migrate",
        "--master", MASTER, "--plan", p.plan(), "--state", p.state(), "--root", missing);
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf("ClusterMigrateTest: migrate with an unmounted root failed in %.1f s%n",
        seconds);
    assertEquals(Tierdex.FAILED, run.exit(), run.describe());
    List<String> said = run.errLinesWith("tierdex migrate:", missing + " is not mounted here");
    assertFalse(said.isEmpty(), "the reason on the command's error line\n" + run.describe());
    for (Map.Entry<Path, MigrateTest.Seen> e : p.before().entrySet()) {
      assertEquals(e.getValue(), seen(e.getKey()), e.getKey() + " was touched");
    }
    assertFalse(Files.exists(p.state().resolve("runs").resolve(p.plan())
        .resolve(Migration.SUMMARY)), "a failed migration wrote its summary");
  }
}
