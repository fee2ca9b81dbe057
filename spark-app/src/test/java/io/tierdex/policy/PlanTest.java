package io.tierdex.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierdex.testing.SharedSpark;
import io.tierdex.snapshot.Manifest;
import io.tierdex.snapshot.RunId;
import io.tierdex.snapshot.SnapshotTable;
import io.tierdex.snapshot.StateDir;
import io.tierdex.snapshot.TierState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tierdex plan over generated snapshots: what gets selected, in which order and bin. */
class PlanTest {
  static final StructType SNAPSHOT = new StructType()
      .add("path", DataTypes.StringType).add("dir", DataTypes.StringType)
      .add("name", DataTypes.StringType).add("type", DataTypes.StringType)
      .add("inode", DataTypes.StringType).add("size", DataTypes.LongType)
      .add("uid", DataTypes.LongType).add("gid", DataTypes.LongType)
      .add("mode", DataTypes.LongType).add("atime", DataTypes.LongType)
      .add("mtime", DataTypes.LongType).add("ctime", DataTypes.LongType)
      .add("ossint1", DataTypes.LongType);
  static final long NOW = Instant.now().getEpochSecond();
  static final long DAY = 86_400;
  static final long GIB = 1L << 30;

  static SparkSession spark;
  @TempDir Path tmp;
  int inodes = 100;

  @BeforeAll
  static void spark() {
    spark = SharedSpark.get();
  }

  /** A regular file changed {@code days} ago. */
  Row file(String path, long size, long days, long uid) {
    return fileOnPool(path, size, days, uid, 0);
  }

  Row fileOnPool(String path, long size, long days, long uid, long pool) {
    int slash = path.lastIndexOf('/');
    long t = NOW - days * DAY;
    return RowFactory.create(path, path.substring(0, slash), path.substring(slash + 1), "f",
        String.valueOf(inodes++), size, uid, uid, 33188L, t, t, t, pool);
  }

  StateDir state() {
    return StateDir.open(tmp.resolve("state").toString(), new Configuration());
  }

  RunId snapshot(StateDir state, List<Row> rows) {
    RunId id = state.begin();
    String location = state.output(id, "snapshot").toString();
    SnapshotTable.write(spark, spark.createDataFrame(rows, SNAPSHOT), 4, location);
    state.commit(new Manifest(Manifest.FORMAT, id.value(), "snapshot", Instant.now().toString(),
        Instant.now().toString(), "test",
        SnapshotTable.totals(spark, location, "/index", null, 4), null, null, null));
    return id;
  }

  Path policies(String yaml) throws IOException {
    Path p = tmp.resolve("policies-" + yaml.hashCode() + ".yaml");
    Files.writeString(p, yaml);
    return p;
  }

  static final String POOLS = """
      pools:
        - name: fast
          id: 1
        - name: slow
          id: 2
      """;

  /** One rule that takes every file. */
  static final String EVERY_FILE = POOLS + """
      rules:
        - name: all
          from: fast
          to: slow
          condition: size > 0
      """;

  PlanRuns.Outcome plan(StateDir state, Path policies, int bins) {
    return new PlanRuns(spark, state, "test").plan(policies,
        new PlanRuns.Options(null, bins, false, 100));
  }

  /** The plan's rows as path -> rule, from the written Parquet. */
  Map<String, Row> planned(StateDir state, PlanRuns.Outcome o) {
    Map<String, Row> out = new TreeMap<>();
    for (Row r : spark.read().parquet(state.output(o.manifest().runId(), "plan").toString())
        .collectAsList()) {
      out.put(r.getAs("path"), r);
    }
    return out;
  }

  Manifest.RulePlan rule(PlanRuns.Outcome o, String name) {
    return o.plan().rules().stream().filter(r -> r.name().equals(name)).findFirst()
        .orElseThrow();
  }

  @Test
  void aFileMatchingTwoRulesIsPlannedOnceUnderTheFirst() throws IOException {
    StateDir state = state();
    snapshot(state, List.of(file("/p/a/both.dat", 5 * GIB, 100, 0),
        file("/p/a/big-only.dat", 3 * GIB, 1, 1000), file("/p/a/old-only.dat", 1000, 100, 1000),
        file("/p/a/neither.dat", 1000, 1, 1000)));
    PlanRuns.Outcome o = plan(state, policies(POOLS + """
        rules:
          - name: old
            from: fast
            to: slow
            condition: mtime older than 30d
          - name: big
            from: fast
            to: slow
            condition: size >= 1GiB
        """), 2);
    Map<String, Row> p = planned(state, o);
    assertEquals(List.of("/p/a/big-only.dat", "/p/a/both.dat", "/p/a/old-only.dat"),
        List.copyOf(p.keySet()));
    assertEquals("old", p.get("/p/a/both.dat").getAs("rule"));
    assertEquals("old", p.get("/p/a/old-only.dat").getAs("rule"));
    assertEquals("big", p.get("/p/a/big-only.dat").getAs("rule"));
    assertEquals(2, rule(o, "old").matched());
    assertEquals(1, rule(o, "big").matched());
    assertEquals("fast", p.get("/p/a/both.dat").getAs("from_pool"));
    assertEquals("slow", p.get("/p/a/both.dat").getAs("to_pool"));
    assertEquals("plan", state.manifest(o.manifest().runId()).kind());
  }

  @Test
  void excludeRulesWinAndTheMinAgeGuardHolds() throws IOException {
    StateDir state = state();
    snapshot(state, List.of(file("/p/keep/x.dat", GIB, 100, 0), file("/p/a/y.part", GIB, 100, 0),
        file("/p/a/z.dat", GIB, 100, 0), fileAt("/p/a/fresh.dat", GIB, NOW - 600),
        fileAt("/p/a/edge.dat", GIB, NOW - 2 * 3600)));
    PlanRuns.Outcome o = plan(state, policies(POOLS + """
        min_age: 1h
        exclude:
          - name: keep-tree
            condition: path glob '/p/keep/**'
          - name: partial
            condition: name LIKE '%.part'
        rules:
          - name: all
            from: fast
            to: slow
            condition: size > 0
        """), 1);
    assertEquals(List.of("/p/a/edge.dat", "/p/a/z.dat"), List.copyOf(planned(state, o).keySet()));
    Manifest.RulePlan r = rule(o, "all");
    assertEquals(5, r.matched());
    assertEquals(2, r.excluded());
    assertEquals(1, r.tooNew());
    assertEquals(2, r.selected());
  }

  Row fileAt(String path, long size, long mtime) {
    int slash = path.lastIndexOf('/');
    return RowFactory.create(path, path.substring(0, slash), path.substring(slash + 1), "f",
        String.valueOf(inodes++), size, 0L, 0L, 33188L, mtime, mtime, mtime, 0L);
  }

  @Test
  void limitsByFilesAndByBytesKeepTheHeaviestFirst() throws IOException {
    StateDir state = state();
    List<Row> rows = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      rows.add(file("/p/f" + i, i * GIB, 100, 0));
      rows.add(file("/q/f" + i, i * GIB, 100 + i, 0));
    }
    snapshot(state, rows);
    PlanRuns.Outcome o = plan(state, policies(POOLS + """
        rules:
          - name: by-files
            from: fast
            to: slow
            condition: path glob '/p/*'
            limits: {files: 3}
          - name: by-bytes
            from: fast
            to: slow
            condition: path glob '/q/*'
            weight: mtime * -1
            limits: {bytes: 30GiB}
        """), 2);
    Map<String, Row> p = planned(state, o);
    assertEquals(List.of("/p/f10", "/p/f8", "/p/f9"), p.keySet().stream()
        .filter(k -> k.startsWith("/p/")).toList());
    assertEquals(1L, (long) p.get("/p/f10").getAs("rank"));
    assertEquals(3L, (long) p.get("/p/f8").getAs("rank"));
    // Weight: oldest mtime first (f10, f9, ...): 10+9+8 = 27 GiB fits, +7 does not.
    assertEquals(List.of("/q/f10", "/q/f8", "/q/f9"), p.keySet().stream()
        .filter(k -> k.startsWith("/q/")).toList());
    assertEquals(27 * GIB, rule(o, "by-bytes").selectedBytes());
    assertEquals(10, rule(o, "by-bytes").matched());
  }

  @Test
  void thresholdsActAboveHighAndStopAtLow() throws IOException {
    StateDir state = state();
    List<Row> rows = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      rows.add(file("/p/f" + i, i * GIB, 100, 0));
    }
    snapshot(state, rows);
    String rule = """
        rules:
          - name: watermark
            from: fast
            to: slow
            condition: size > 0
            thresholds: {high: 80, low: 60}
        """;
    // 100 GiB pool, 85 GiB used: free down to 60 GiB, so 25 GiB: 10 + 9 + 8 = 27 crosses
    // it (the file that crosses is taken, as the usage before it was still above low).
    PlanRuns.Outcome o = plan(state, policies("""
        pools:
          - name: fast
            id: 1
            capacity: {total: 100GiB, used: 85GiB}
          - name: slow
            id: 2
        """ + rule), 1);
    assertEquals(List.of("/p/f10", "/p/f8", "/p/f9"), List.copyOf(planned(state, o).keySet()));
    // Below high: nothing, with the reason; the usage comes from a command this time.
    PlanRuns.Outcome quiet = plan(state, policies("""
        pools:
          - name: fast
            id: 1
            capacity: {command: "echo 107374182400 53687091200"}
          - name: slow
            id: 2
        """ + rule), 1);
    assertEquals(0, rule(quiet, "watermark").selected());
    assertEquals("pool fast is 50.0% full, not above high 80.0%", rule(quiet, "watermark").note());
  }

  @Test
  void binsAreEvenInBytesAndFilesWithTheLargestFirst() throws IOException {
    StateDir state = state();
    List<Row> rows = new ArrayList<>();
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < 2000; i++) {
      // Sizes over five orders of magnitude, as on a real file system.
      rows.add(file("/p/d" + (i % 40) + "/f" + i, (long) Math.pow(10, 4 + 5 * random.nextDouble()),
          100, 0));
    }
    snapshot(state, rows);
    PlanRuns.Outcome o = plan(state, policies(EVERY_FILE), 8);
    List<Row> plan = spark.read().parquet(state.output(o.manifest().runId(), "plan").toString())
        .orderBy("bin", "rank").collectAsList();
    long[] bytes = new long[8];
    long[] files = new long[8];
    for (Row r : plan) {
      int bin = r.getAs("bin");
      bytes[bin] += (long) r.getAs("size");
      files[bin]++;
    }
    double mean = java.util.Arrays.stream(bytes).average().orElseThrow();
    for (int b = 0; b < 8; b++) {
      assertTrue(bytes[b] <= 1.10 * mean, "bin " + b + " has " + bytes[b] + " bytes, mean "
          + mean);
      assertEquals(250, files[b]);
    }
    assertEquals(2000, rule(o, "all").selected());
    // Ranked by weight (size): rank 1 is the largest file.
    Row first = plan.stream().filter(r -> (long) r.getAs("rank") == 1).findFirst().orElseThrow();
    long max = rows.stream().mapToLong(r -> r.getLong(5)).max().orElseThrow();
    assertEquals(max, (long) first.getAs("size"));
    assertEquals(10, o.largest().get(0).size());
    assertEquals(max, o.largest().get(0).get(0).size());
  }

  /**
   * Thousands of files over many sorted ranges, with cuts inside ranges: the plan equals a
   * rule-by-rule reference computed here from the same files.
   */
  @Test
  void cutsAcrossManySortedRangesMatchARuleByRuleReference() throws IOException {
    StateDir state = state();
    java.util.Random random = new java.util.Random(11);
    List<Row> rows = new ArrayList<>();
    String[] tops = {"/a/", "/b/", "/c/", "/d/"};
    for (int i = 0; i < 6000; i++) {
      long size = (long) Math.pow(10, 3 + 6 * random.nextDouble());
      // A few files share a size, so ties fall to the path.
      rows.add(file(tops[i % 4] + "d" + (i % 37) + "/f" + i, i % 50 == 0 ? 123_456 : size,
          random.nextInt(400), 0));
    }
    snapshot(state, rows);
    Path policies = policies("""
        min_age: 2d
        pools:
          - name: fast
            id: 1
            capacity: {total: 10TiB, used: 8TiB}
          - name: slow
            id: 2
        exclude:
          - name: tiny
            condition: size < 2KB
        rules:
          - name: a-by-files
            from: fast
            to: slow
            condition: path glob '/a/**'
            limits: {files: 700}
          - name: b-by-bytes-oldest-first
            from: fast
            to: slow
            condition: path glob '/b/**' OR path glob '/a/**'
            weight: mtime * -1
            limits: {bytes: 50GB}
          - name: watermark
            from: fast
            to: slow
            condition: size >= 1MB
            thresholds: {high: 78, low: 77}
        """);
    Dataset<Row> entries = PolicyCompiler.entries(spark.read().parquet(
        state.output(state.snapshots().get(0).runId(), "snapshot").toString()));
    CompiledPolicies compiled = PolicyCompiler.compile(PolicyParser.load(policies), entries,
        Instant.ofEpochSecond(NOW));
    String out = tmp.resolve("plan").toString();
    List<Planner.RuleOutcome> outcomes = new Planner(spark, 400).plan(compiled, entries,
        Optional.empty(), 5, rows.size(), out);

    // The reference: first match, excludes, min_age, then per rule by weight with the cuts.
    long newest = NOW - 2 * DAY;
    long freeable = (8L << 40) - (long) Math.floor((10L << 40) * 77.0 / 100);
    List<java.util.function.Predicate<Row>> conditions = List.of(
        r -> r.getString(0).startsWith("/a/"),
        r -> r.getString(0).startsWith("/b/") || r.getString(0).startsWith("/a/"),
        r -> r.getLong(5) >= 1_000_000);
    List<java.util.Comparator<Row>> weights = List.of(bySize(), java.util.Comparator
        .<Row>comparingLong(r -> r.getLong(10)).thenComparing(bySize()), bySize());
    long[][] budgets = {{700, Long.MAX_VALUE, Long.MAX_VALUE},
        {Long.MAX_VALUE, 50_000_000_000L, Long.MAX_VALUE},
        {Long.MAX_VALUE, Long.MAX_VALUE, freeable}};
    Map<String, Long> expected = new TreeMap<>();
    long freed = 0;
    for (int rule = 0; rule < 3; rule++) {
      int at = rule;
      List<Row> candidates = rows.stream().filter(r -> r.getLong(5) >= 2000
          && r.getLong(10) <= newest && first(conditions, r) == at)
          .sorted(weights.get(rule)).toList();
      long files = 0;
      long bytes = 0;
      for (Row r : candidates) {
        long size = r.getLong(5);
        if (files + 1 > budgets[rule][0] || bytes + size > budgets[rule][1]
            || (budgets[rule][2] != Long.MAX_VALUE && freed + bytes >= budgets[rule][2])) {
          break;
        }
        files++;
        bytes += size;
        expected.put(r.getString(0), files);
      }
      assertEquals(files, outcomes.get(rule).totals().selected(), "rule " + rule);
      assertEquals(bytes, outcomes.get(rule).totals().selectedBytes(), "rule " + rule);
      assertTrue(files > 0 && files < candidates.size(), "rule " + rule + " is cut: " + files
          + " of " + candidates.size());
      freed += bytes;
      List<Long> largest = candidates.subList(0, (int) files).stream().map(r -> r.getLong(5))
          .sorted(java.util.Comparator.reverseOrder()).limit(10).toList();
      assertEquals(largest, outcomes.get(rule).largest().stream().map(Planner.Candidate::size)
          .toList());
    }
    Map<String, Long> ranks = new TreeMap<>();
    long[] binBytes = new long[5];
    long[] binFiles = new long[5];
    for (Row r : spark.read().parquet(out).collectAsList()) {
      ranks.put(r.getAs("path"), r.getAs("rank"));
      binBytes[(int) r.getAs("bin")] += (long) r.getAs("size");
      binFiles[(int) r.getAs("bin")]++;
    }
    assertEquals(expected, ranks);
    long total = java.util.Arrays.stream(binFiles).sum();
    double mean = java.util.Arrays.stream(binBytes).average().orElseThrow();
    for (int b = 0; b < 5; b++) {
      assertTrue(binFiles[b] == total / 5 || binFiles[b] == total / 5 + 1,
          "bin " + b + " has " + binFiles[b] + " of " + total + " files");
      assertTrue(binBytes[b] <= 1.10 * mean, "bin " + b + " has " + binBytes[b]
          + " bytes, mean " + mean);
    }
  }

  /** Largest first, then by path: the planner's order for the default weight. */
  static java.util.Comparator<Row> bySize() {
    return java.util.Comparator.<Row>comparingLong(r -> -r.getLong(5))
        .thenComparing(r -> r.getString(0));
  }

  static int first(List<java.util.function.Predicate<Row>> conditions, Row r) {
    for (int i = 0; i < conditions.size(); i++) {
      if (conditions.get(i).test(r)) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void filesTierdexMovedAndUnchangedSinceAreNotCandidatesAgain() throws IOException {
    StateDir state = state();
    Row moved = file("/p/moved.dat", GIB, 100, 0);
    Row rewritten = file("/p/rewritten.dat", GIB, 100, 0);
    snapshot(state, List.of(moved, rewritten, file("/p/other.dat", GIB, 100, 0)));
    // The tier state says both were moved; the second has another inode now (replaced).
    new TierState(spark, state).record(new RunId("20260101T000000000Z-0000"),
        spark.createDataFrame(List.of(
            RowFactory.create("/p/moved.dat", moved.getString(4), GIB, moved.getLong(10), "slow"),
            RowFactory.create("/p/rewritten.dat", "999999", GIB, rewritten.getLong(10), "slow")),
            TierState.SCHEMA));
    PlanRuns.Outcome o = plan(state, policies(EVERY_FILE), 1);
    assertEquals(List.of("/p/other.dat", "/p/rewritten.dat"),
        List.copyOf(planned(state, o).keySet()));
    assertEquals(1, rule(o, "all").migrated());
  }

  @Test
  void filesAlreadyOnTheTargetPoolAreSkippedWhereTheIndexSaysSo() throws IOException {
    StateDir state = state();
    snapshot(state, List.of(fileOnPool("/p/on-fast", GIB, 100, 0, 1),
        fileOnPool("/p/on-slow", GIB, 100, 0, 2), fileOnPool("/p/unknown", GIB, 100, 0, 0)));
    PlanRuns.Outcome o = plan(state, policies("pool_column: ossint1\n" + EVERY_FILE), 1);
    assertEquals(List.of("/p/on-fast", "/p/unknown"), List.copyOf(planned(state, o).keySet()));
    assertEquals(1, rule(o, "all").onTarget());
  }

  @Test
  void aDryRunLeavesTheStateDirectoryByteForByteUnchanged() throws Exception {
    StateDir state = state();
    snapshot(state, List.of(file("/p/a", GIB, 100, 0), file("/p/b", 2 * GIB, 100, 0)));
    Map<String, String> before = digests(tmp.resolve("state"));
    PlanRuns.Outcome o = new PlanRuns(spark, state, "test").plan(policies(EVERY_FILE), new PlanRuns.Options(null, 2, true, 100));
    assertEquals(null, o.manifest());
    assertEquals(2, rule(o, "all").selected());
    assertEquals(before, digests(tmp.resolve("state")));
  }

  static Map<String, String> digests(Path root) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.toList()) {
        out.put(root.relativize(p).toString(), Files.isDirectory(p) ? "dir"
            : HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(p))) + " " + Files.getLastModifiedTime(p));
      }
    }
    return out;
  }

  @Test
  void theSeedPolicyAndTheSitePolicyShippedInConfRun() {
    StateDir state = state();
    snapshot(state, List.of(file("/mnt/beegfs/projects/a/archive/old.tar", 4 * GIB, 20, 1000),
        file("/mnt/beegfs/scratch/u/run.h5", 2 * GIB, 60, 1000),
        file("/mnt/beegfs/home/root.img", 8 * GIB, 2, 0),
        file("/mnt/beegfs/services/db/data.db", 9 * GIB, 400, 0),
        file("/mnt/beegfs/projects/b/small.txt", 1000, 400, 1000)));
    Path conf = Path.of(System.getProperty("tierdex.conf", "../conf"));
    Map<String, Row> seed = planned(state, plan(state, conf.resolve("seed-policy.yaml"), 1));
    assertEquals(List.of("/mnt/beegfs/home/root.img", "/mnt/beegfs/services/db/data.db"),
        List.copyOf(seed.keySet()));
    PlanRuns.Outcome site = plan(state, conf.resolve("policies.yaml"), 2);
    Map<String, Row> p = planned(state, site);
    assertEquals(List.of("/mnt/beegfs/projects/a/archive/old.tar",
        "/mnt/beegfs/scratch/u/run.h5"), List.copyOf(p.keySet()));
    assertEquals("scratch-purge-candidates", p.get("/mnt/beegfs/scratch/u/run.h5")
        .getAs("rule"));
    assertEquals("project-archives", p.get("/mnt/beegfs/projects/a/archive/old.tar")
        .getAs("rule"));
    assertEquals(2, rule(site, "scratch-purge-candidates").matched()
        + rule(site, "project-archives").matched());
    assertEquals("no match, skipped", rule(site, "departed-users").note());
  }

  @Test
  void explainPrintsEachRulesSql() {
    StateDir state = state();
    snapshot(state, List.of(file("/p/a", GIB, 100, 0)));
    Path conf = Path.of(System.getProperty("tierdex.conf", "../conf"));
    String sql = new PlanRuns(spark, state, "test").compile(conf.resolve("policies.yaml"), null,
        Instant.ofEpochSecond(1_800_000_000)).explain();
    assertTrue(sql.contains("-- rule 'big-and-cold': fast -> slow"), sql);
    assertTrue(sql.contains("(size >= 1073741824 AND mtime < " + (1_800_000_000 - 30 * DAY)
        + ")"), sql);
    // A subtree glob is a prefix test; one with a single-component star is a regex.
    assertTrue(sql.contains("path LIKE '/mnt/beegfs/scratch/%'"), sql);
    assertTrue(sql.contains("path RLIKE '^/mnt/beegfs/projects/[^/]*/archive/.*$'"), sql);
    assertTrue(sql.contains("NOT COALESCE((size < 1048576), false)  -- exclude small-files"),
        sql);
    assertEquals(4, sql.split("\nSELECT ").length - 1);
  }
}
