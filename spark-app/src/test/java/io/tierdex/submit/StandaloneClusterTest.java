package io.tierdex.submit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierdex.migrate.PlannedTree;
import io.tierdex.testing.Checkout;
import io.tierdex.testing.IndexFiles;
import io.tierdex.testing.SharedSpark;
import io.tierdex.testing.StandaloneCluster;
import io.tierdex.testing.TierdexCli;
import io.tierdex.testing.TierdexProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * submit/tierdex-submit against a real Spark standalone cluster: a master and two workers on
 * loopback, each in a JVM of its own and each starting one executor JVM, all from the build's
 * jars. With no Spark distribution installed, the wrapper's own JVM is the driver (Spark's
 * submit class from the build); the executors load tierdex from the application jar it
 * submits and take their JVM flags and locale from conf/spark-defaults.conf. The workers run
 * with the POSIX locale, as on nodes where nobody set one: the executors write the moved
 * files back into the index, and find the rows of a non-ASCII directory only if
 * spark-defaults.conf gives them a UTF-8 locale.
 */
class StandaloneClusterTest {
  /** Master, two workers and their registration: 10-20 s here, beside other builds. */
  static final Duration CLUSTER_START = Duration.ofSeconds(90);
  /** The whole submission, executors' start included. */
  static final Duration SUBMIT = Duration.ofSeconds(300);

  @TempDir
  Path tmp;

  @BeforeAll
  static void shareOneSession() {
    // The ledger is read back in this JVM.
    SharedSpark.get();
  }

  /**
   * The tierdex command line the test submits, after the spark-submit options: the nightly
   * run of a configuration over {@code tree}, moving every file.
   */
  static List<String> tierdexCommand(Path tmp, Path tree, Path state) throws IOException {
    Path config = tmp.resolve("tierdex.yaml");
    Files.writeString(config, String.join("\n",
        "source:",
        "  root: " + tree,
        "  index: " + tmp.resolve("index"),
        "state: " + state,
        "policies: " + PlannedTree.policies(tmp),
        "plan:",
        "  bins: 4",
        "migrate:",
        "  threads: 2",
        ""));
    return List.of("run", "--config", config.toString(), "--mode", "yes", "--run-date",
        "2026-11-22");
  }

  @Test
  void nightlyRunMovesFilesOnTwoExecutorProcesses() throws Exception {
    Path tree = tmp.resolve("tree");
    Map<Path, byte[]> bytes = writeTree(tree);
    Map<Path, Object> inodes = new LinkedHashMap<>();
    for (Path f : bytes.keySet()) {
      inodes.put(f, inode(f));
    }
    Path state = tmp.resolve("state");
    Path index = tmp.resolve("index").resolve("tree");

    TierdexCli.Run run;
    try (StandaloneCluster cluster = StandaloneCluster.start(
        Files.createDirectories(tmp.resolve("cluster")), 2, Map.of("LC_ALL", "C"),
        CLUSTER_START)) {
      // spark.cores.max: both workers' cores, so the driver waits for both executors
      // (spark-defaults.conf's minRegisteredResourcesRatio). C1 for the executors' short life:
      // defaultJavaOptions, so that spark-defaults.conf's extraJavaOptions still apply.
      List<String> command = new ArrayList<>(List.of(
          Checkout.launcher("tierdex-submit").toString(),
          "--master", cluster.masterUrl(), "--conf", "spark.cores.max=2",
          "--conf", "spark.executor.defaultJavaOptions=-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
          "--conf", "spark.ui.enabled=false", "--"));
      command.addAll(tierdexCommand(tmp, tree, state));
      long t0 = System.nanoTime();
      run = TierdexProcess.runCommand(tmp,
          Map.of("TIERDEX_JAVA_OPTS", "-Xmx1g -XX:+UseSerialGC -XX:TieredStopAtLevel=1"),
          SUBMIT, command.toArray());
      System.out.printf("StandaloneClusterTest: tierdex-submit took %.1f s%n",
          (System.nanoTime() - t0) / 1e9);
      assertEquals(0, run.exit(), run.describe() + "\n" + cluster.logs());
    }

    List<Row> ledger = SharedSpark.get().read().parquet(ledger(state).toString())
        .collectAsList();
    assertEquals(bytes.size(), ledger.size(), "one ledger row per file\n" + run.describe());
    Set<String> executors = new TreeSet<>();
    for (Row row : ledger) {
      Path f = Path.of(row.<String>getAs("path"));
      assertEquals("MIGRATED", row.getAs("outcome"), f + ": " + row.getAs("reason"));
      assertArrayEquals(bytes.get(f), Files.readAllBytes(f), f + ": bytes differ after the move");
      assertNotEquals(inodes.get(f), inode(f), f + " was not rewritten");
      // Written back by the executors: in the POSIX locale they would miss the non-ASCII
      // directory ("outside the source directory"), as they did before spark-defaults.conf
      // set LC_ALL for them.
      Path db = index.resolve(tree.relativize(f.getParent())).resolve(IndexFiles.DB);
      assertEquals(Set.of(String.valueOf(inode(f))), IndexFiles.strings(db,
          "SELECT inode FROM entries WHERE name = '" + f.getFileName() + "'"),
          f + ": the index does not show its new inode\n" + run.describe());
      executors.add(row.getAs("executor"));
    }
    assertEquals(2, executors.size(), "files moved by two executor processes, not " + executors
        + "\n" + run.describe());
    String last = run.out().strip().substring(run.out().strip().lastIndexOf('\n') + 1);
    assertTrue(last.startsWith("tierdex run ") && last.contains(" (yes): moved "
        + bytes.size() + " files (") && last.contains("; report: "), "the run committed: "
        + last);
  }

  /**
   * Eight files of 16 to 96 KiB in two directories, one name with a space and one that is
   * not ASCII; returns each file's bytes.
   */
  static Map<Path, byte[]> writeTree(Path root) throws IOException {
    Random r = new Random(7);
    Map<Path, byte[]> bytes = new LinkedHashMap<>();
    for (int i = 0; i < 8; i++) {
      Path dir = Files.createDirectories(root.resolve(i % 2 == 0 ? "group a" : "données"));
      Path f = dir.resolve(i == 3 ? "café.dat" : "f" + i + ".dat");
      byte[] data = new byte[(16 << 10) + r.nextInt(80 << 10)];
      r.nextBytes(data);
      Files.write(f, data);
      bytes.put(f, data);
    }
    return bytes;
  }

  static Object inode(Path f) throws IOException {
    return Files.getAttribute(f, "unix:ino", LinkOption.NOFOLLOW_LINKS);
  }

  /** The ledger of the one run that moved files ({@code runs/<run>/ledger}). */
  static Path ledger(Path state) throws IOException {
    try (Stream<Path> runs = Files.list(state.resolve("runs"))) {
      List<Path> ledgers = runs.map(r -> r.resolve("ledger")).filter(Files::isDirectory).toList();
      assertEquals(1, ledgers.size(), "one run with a ledger in " + state + ": " + ledgers);
      return ledgers.get(0);
    }
  }
}
