package io.tierdex.report;

import static io.tierdex.migrate.PlannedTree.ok;
import static io.tierdex.migrate.PlannedTree.runId;

import io.tierdex.snapshot.RunId;
import io.tierdex.snapshot.StateDir;
import io.tierdex.testing.SharedSpark;
import io.tierdex.testing.Shell;
import io.tierdex.testing.TierdexCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Two nightly runs over one real tree, made by the real commands, each ending with
 * {@link ReportWriter#write}, shared by the report tests (built once per JVM):
 *
 * <ol>
 *   <li>{@link #defer}: index, snapshot A, plan A, no migration (mode defer);
 *   <li>{@link #yes}: the tree changes (2 added, 1 removed, 1 appended to, 1 renamed),
 *       index, snapshot B, diff A to B, plan B; then one planned file is appended to and one
 *       deleted before the migration (SKIPPED_CHANGED, VANISHED), and the rest migrate.
 * </ol>
 *
 * The tree has files of every size bucket up to 16 MiB and ages from two hours to six
 * years, owned (as root) by root, uid 1000 and uid 4242, which has no name, some in a
 * directory named {@code odd <dir> & "q"}. Everything stays in {@code target/report-test}
 * to be looked at after a run.
 */
final class NightlyRuns {
  static final Path BASE = Path.of("target", "report-test").toAbsolutePath();
  static final String ODD_DIR = "odd <dir> & \"q\"";
  private static final long[] SIZES = {100, 3_000, 5_000, 20_000, 70_000, 300_000,
      1_200_000, 2_000_000};
  private static final Duration[] AGES = {Duration.ofHours(2), Duration.ofDays(3),
      Duration.ofDays(40), Duration.ofDays(200), Duration.ofDays(3 * 365),
      Duration.ofDays(6 * 365)};
  private static final long[] UIDS = {0, 1000, 4242};
  private static NightlyRuns built;

  final Path tree = BASE.resolve("tree");
  final Path state = BASE.resolve("state");
  final Path policies = BASE.resolve("policies.yaml");
  final StateDir dir;
  final RunId defer;
  final RunId yes;
  final String snapshotA;
  final String planA;
  final String snapshotB;
  final String diff;
  final String planB;
  /** The planned files changed after plan B: the one appended to, the one deleted. */
  final String appended;
  final String deleted;
  final org.apache.hadoop.fs.Path deferHtml;
  final org.apache.hadoop.fs.Path yesHtml;

  static synchronized NightlyRuns get() throws Exception {
    if (built == null) {
      built = new NightlyRuns();
    }
    return built;
  }

  private NightlyRuns() throws Exception {
    SparkSession spark = SharedSpark.get(); // first, so every command below reuses it
    deleteTree(BASE);
    Files.createDirectories(BASE);
    makeTree();
    Files.writeString(policies, String.join("\n",
        "min_age: 0s",
        "pools:",
        "  - {name: fast, id: 1}",
        "  - {name: slow, id: 2}",
        "rules:",
        "  - name: cold",
        "    from: fast",
        "    to: slow",
        "    condition: \"size >= 4KiB AND mtime older than 30d\"",
        "  - name: big",
        "    from: fast",
        "    to: slow",
        "    condition: \"size >= 1MiB\"",
        "    limits: {files: 2}",
        ""));
    dir = StateDir.open(state.toString(), spark.sparkContext().hadoopConfiguration());
    Path index = BASE.resolve("index");

    defer = dir.begin();
    List<Report.Phase> phases = new ArrayList<>();
    timed(phases, "index", "index", tree, index);
    snapshotA = runId(timed(phases, "snapshot", "snapshot", index.resolve("tree"), "--source",
        tree, "--state", state), "snapshot");
    planA = runId(timed(phases, "plan", "plan", "--policies", policies, "--state", state,
        "--bins", 2), "plan");
    deferHtml = ReportWriter.write(spark, new ReportInputs(dir, defer, "defer", true, 0,
        phases, new RunId(snapshotA), null, new RunId(planA), false, 5)).html();

    yes = dir.begin();
    phases = new ArrayList<>();
    changeTree();
    timed(phases, "index", "index", tree, index);
    snapshotB = runId(timed(phases, "snapshot", "snapshot", index.resolve("tree"), "--source",
        tree, "--state", state), "snapshot");
    diff = runId(timed(phases, "diff", "diff", "--state", state), "diff");
    planB = runId(timed(phases, "plan", "plan", "--policies", policies, "--state", state,
        "--bins", 2), "plan");
    List<String> planned = spark.read().parquet(state.resolve("runs").resolve(planB)
        .resolve("plan").toString()).orderBy("path").select("path").collectAsList().stream()
        .map(r -> r.getString(0)).toList();
    appended = planned.get(0);
    deleted = planned.get(1);
    Files.writeString(Path.of(appended), "more", java.nio.file.StandardOpenOption.APPEND);
    Files.delete(Path.of(deleted));
    timed(phases, "migrate", "migrate", "--plan", planB, "--state", state, "--threads", 2);
    yesHtml = ReportWriter.write(spark, new ReportInputs(dir, yes, "yes", true, 0, phases,
        new RunId(snapshotB), new RunId(diff), new RunId(planB), true, 5)).html();
  }

  /** The ledger of plan B, as the test collects it (a few dozen rows). */
  List<Row> ledger() {
    return SharedSpark.get().read().parquet(state.resolve("runs").resolve(planB)
        .resolve("ledger").toString()).collectAsList();
  }

  private static TierdexCli.Run timed(List<Report.Phase> phases, String phase, Object... args) {
    long t0 = System.nanoTime();
    TierdexCli.Run run = ok(args);
    phases.add(new Report.Phase(phase, (System.nanoTime() - t0) / 1e9));
    return run;
  }

  private void makeTree() throws Exception {
    Random random = new Random(7);
    String[] dirs = {"alpha", "beta/deep", ODD_DIR};
    Instant now = Instant.now();
    boolean root = Shell.isRoot();
    for (int i = 0; i < 30; i++) {
      Path d = tree.resolve(dirs[i % dirs.length]);
      Files.createDirectories(d);
      Path f = d.resolve("f" + i + ".dat");
      byte[] data = new byte[(int) SIZES[i % SIZES.length]];
      random.nextBytes(data);
      Files.write(f, data);
      if (root) {
        Shell.run("chown", UIDS[i % UIDS.length] + ":0", f.toString());
      }
      Files.setLastModifiedTime(f, FileTime.from(now.minus(AGES[i % AGES.length])));
    }
  }

  /** 2 added, 1 removed, 1 modified, 1 renamed, for the diff of the second run. */
  private void changeTree() throws IOException {
    Files.write(tree.resolve("alpha/new1.dat"), new byte[6000]);
    Files.write(tree.resolve("beta/deep/new2.dat"), new byte[7000]);
    Files.delete(tree.resolve("alpha/f0.dat"));
    Files.writeString(tree.resolve("alpha/f3.dat"), "appended",
        java.nio.file.StandardOpenOption.APPEND);
    Files.move(tree.resolve("alpha/f6.dat"), tree.resolve("alpha/f6-renamed.dat"));
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> all = Files.walk(p)) {
      for (Path x : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(x);
      }
    }
  }
}
