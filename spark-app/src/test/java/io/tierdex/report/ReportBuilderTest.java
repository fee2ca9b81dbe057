package io.tierdex.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tierdex.migrate.Migration;
import io.tierdex.migrate.MigrationSummary;
import io.tierdex.migrate.MoveOutcome;
import io.tierdex.testing.SharedSpark;
import io.tierdex.testing.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToLongFunction;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The report's figures against what a user would check them with: the ledger, the diff's
 * changes, the snapshot, the plan, and the earlier run's report.
 */
class ReportBuilderTest {
  static NightlyRuns runs;
  static Report yes;
  static Report defer;

  /** A file as the test sees it: path, size, mtime, owner. */
  record File(String path, long size, long mtime, Long uid) {}

  @BeforeAll
  static void build() throws Exception {
    runs = NightlyRuns.get();
    // Read back from report.json: the figures a later run and tierdex report see.
    yes = new RunReports(runs.dir).read(runs.yes);
    defer = new RunReports(runs.dir).read(runs.defer);
  }

  @Test
  void filesAndBytesPerOutcomeAndRuleAreTheLedgers() throws Exception {
    Map<String, long[]> outcomes = new TreeMap<>();
    Map<String, long[]> rules = new TreeMap<>();
    for (Row r : runs.ledger()) {
      add(outcomes, r.getAs("outcome"), r.<Long>getAs("size"));
      add(rules, r.getAs("rule") + " " + r.getAs("outcome"), r.<Long>getAs("size"));
    }
    assertEquals(1, outcomes.get("SKIPPED_CHANGED")[0], "the file appended to after the plan");
    assertEquals(1, outcomes.get("VANISHED")[0], "the file deleted after the plan");
    assertTrue(outcomes.get("MIGRATED")[0] >= 5, "most planned files moved: " + text(outcomes));

    Report.Moves m = yes.moves();
    assertEquals("ledger", m.basis());
    assertEquals(Arrays.stream(MoveOutcome.values()).map(Enum::name).toList(),
        m.outcomes().stream().map(Report.OutcomeTotals::outcome).toList(), "every outcome");
    Map<String, long[]> reported = new TreeMap<>();
    m.outcomes().stream().filter(o -> o.files() > 0).forEach(o -> reported.put(o.outcome(),
        new long[] {o.files(), o.bytes()}));
    assertEquals(text(outcomes), text(reported));
    Map<String, long[]> reportedRules = new TreeMap<>();
    m.rules().forEach(t -> reportedRules.put(t.rule() + " " + t.outcome(),
        new long[] {t.files(), t.bytes()}));
    assertEquals(text(rules), text(reportedRules));
    assertEquals(outcomes.get("MIGRATED")[0], m.movedFiles());
    assertEquals(outcomes.get("MIGRATED")[1], m.movedBytes());
    assertEquals(0, m.failedFiles());

    MigrationSummary summary = runs.dir.readJson(new io.tierdex.snapshot.RunId(runs.planB),
        Migration.SUMMARY, MigrationSummary.class).orElseThrow();
    Map<String, long[]> fromSummary = new TreeMap<>();
    summary.outcomes().forEach((o, t) -> {
      if (t.files() > 0) {
        fromSummary.put(o, new long[] {t.files(), t.bytes()});
      }
    });
    assertEquals(text(fromSummary), text(reported), "migration.json agrees");
    assertEquals(summary.seconds(), m.moveSeconds());
    assertTrue(yes.summary().startsWith("run " + runs.yes + " (yes): moved "
        + String.format("%,d files", m.movedFiles())), yes.summary());
  }

  @Test
  void changeCountsPerKindAreTheDiffs() {
    Map<String, long[]> kinds = new TreeMap<>();
    for (Row r : SharedSpark.get().read().parquet(runs.state.resolve("runs").resolve(runs.diff)
        .resolve("changes").toString()).collectAsList()) {
      Long size = r.getAs("size");
      add(kinds, r.getAs("kind"), size != null ? size : r.<Long>getAs("old_size"));
    }
    // What the test did to the tree between the two snapshots.
    assertEquals(2, kinds.get("ADDED")[0]);
    assertEquals(1, kinds.get("REMOVED")[0]);
    assertEquals(1, kinds.get("MODIFIED")[0]);
    assertEquals(1, kinds.get("RENAMED")[0]);

    Report.Changes c = yes.changes();
    assertEquals(runs.snapshotA, c.old());
    assertEquals(runs.snapshotB, c.current());
    assertEquals(List.of("ADDED", "REMOVED", "MODIFIED", "RENAMED", "REPLACED", "MIGRATED"),
        c.kinds().stream().map(Report.KindTotals::kind).toList());
    Map<String, long[]> reported = new TreeMap<>();
    c.kinds().stream().filter(k -> k.entries() > 0).forEach(k -> reported.put(k.kind(),
        new long[] {k.entries(), k.bytes()}));
    assertEquals(text(kinds), text(reported));
    assertNull(defer.changes(), "the first run had nothing to diff against");
  }

  @Test
  void histogramsAddUpToWhatMovedAndWhatRemainsOnTheFastPool() {
    Set<String> migrated = new HashSet<>();
    List<File> moved = new ArrayList<>();
    for (Row r : runs.ledger()) {
      if (r.getAs("outcome").equals("MIGRATED")) {
        migrated.add(r.getAs("path"));
        moved.add(new File(r.getAs("path"), r.getAs("size"), r.getAs("mtime"), null));
      }
    }
    // No pool_column in the policy: every file is on the default pool, fast, until moved.
    List<File> remaining = snapshotFiles(runs.snapshotB).stream()
        .filter(f -> !migrated.contains(f.path())).toList();
    Report.FastPools fast = yes.moves().fastPools();
    assertEquals(List.of("fast"), fast.pools());
    assertEquals(remaining.size(), fast.files());
    assertEquals(remaining.stream().mapToLong(File::size).sum(), fast.bytes());

    long start = Instant.parse(yes.started()).getEpochSecond();
    checkBuckets(yes.sizes(), moved, remaining, File::size);
    checkBuckets(yes.ages(), moved, remaining, f -> start - f.mtime());
    assertEquals("MIGRATED", yes.sizes().moved());
    for (Report.Distribution d : List.of(yes.sizes(), yes.ages())) {
      assertEquals(yes.moves().movedFiles(), sum(d, Report.Bucket::movedFiles), d.measure());
      assertEquals(yes.moves().movedBytes(), sum(d, Report.Bucket::movedBytes), d.measure());
      assertEquals(fast.files(), sum(d, Report.Bucket::remainingFiles), d.measure());
      assertEquals(fast.bytes(), sum(d, Report.Bucket::remainingBytes), d.measure());
      assertTrue(d.buckets().stream().filter(b -> b.movedFiles() + b.remainingFiles() > 0)
          .count() >= 4, d.measure() + ": the tree spans several buckets");
    }
  }

  @Test
  void topUsersAndDirectoriesAreByBytesMoved() throws Exception {
    Map<String, Long> owner = new HashMap<>();
    snapshotFiles(runs.snapshotB).forEach(f -> owner.put(f.path(), f.uid()));
    Map<Long, long[]> users = new HashMap<>();
    Map<String, long[]> dirs = new HashMap<>();
    for (Row r : runs.ledger()) {
      if (r.getAs("outcome").equals("MIGRATED")) {
        long size = r.getAs("size");
        add(users, owner.get(r.<String>getAs("path")), size);
        add(dirs, Path.of(r.<String>getAs("path")).getParent().toString(), size);
      }
    }
    List<String> expectedUsers = users.entrySet().stream()
        .sorted(Comparator.comparing((Map.Entry<Long, long[]> e) -> -e.getValue()[1])
            .thenComparing(Map.Entry::getKey))
        .map(e -> e.getKey() + " " + e.getValue()[0] + " " + e.getValue()[1]).toList();
    assertEquals(expectedUsers, yes.topUsers().stream()
        .map(u -> u.uid() + " " + u.files() + " " + u.bytes()).toList());
    List<String> expectedDirs = dirs.entrySet().stream()
        .sorted(Comparator.comparing((Map.Entry<String, long[]> e) -> -e.getValue()[1])
            .thenComparing(Map.Entry::getKey))
        .map(e -> e.getKey() + " " + e.getValue()[0] + " " + e.getValue()[1]).toList();
    assertEquals(expectedDirs, yes.topDirectories().stream()
        .map(d -> d.dir() + " " + d.files() + " " + d.bytes()).toList());
    assertTrue(yes.topDirectories().stream().anyMatch(d -> d.dir().endsWith(
        NightlyRuns.ODD_DIR)), "the odd directory name comes through as it is");
    if (Shell.isRoot()) {
      assertEquals(Set.of(0L, 1000L, 4242L), users.keySet(), "the tree's owners moved");
      for (Report.UserBytes u : yes.topUsers()) {
        if (u.uid() == 0) {
          assertEquals("root", u.name());
        } else if (u.uid() == 4242) {
          assertNull(u.name(), "uid 4242 has no name here");
        }
      }
    }
  }

  @Test
  void throughputCountsEveryMovedFileOnce() {
    long first = Long.MAX_VALUE;
    long last = 0;
    for (Row r : runs.ledger()) {
      if (r.getAs("outcome").equals("MIGRATED")) {
        first = Math.min(first, r.<Long>getAs("start_ms"));
        last = Math.max(last, r.<Long>getAs("end_ms"));
      }
    }
    Report.Throughput t = yes.throughput();
    assertEquals(Instant.ofEpochMilli(first).toString(), t.start());
    assertTrue(t.buckets().size() <= 61, t.buckets().size() + " buckets");
    assertTrue(t.bucketSeconds() * t.buckets().size() * 1000 > last - first,
        "the buckets cover the move stage");
    assertEquals(yes.moves().movedFiles(), t.buckets().stream()
        .mapToLong(Report.TimeBucket::files).sum());
    assertEquals(yes.moves().movedBytes(), t.buckets().stream()
        .mapToLong(Report.TimeBucket::bytes).sum());
    assertNull(defer.throughput(), "nothing moved in the defer run");
  }

  @Test
  void historyListsTheEarlierReportAndThisRun() {
    assertEquals(List.of(runs.defer.value() + " defer 0 0 0",
            runs.yes.value() + " yes " + yes.moves().movedFiles() + " "
                + yes.moves().movedBytes() + " 0"),
        yes.history().stream().map(h -> h.run() + " " + h.mode() + " " + h.movedFiles() + " "
            + h.movedBytes() + " " + h.failedFiles()).toList());
    assertEquals(defer.started(), yes.history().get(0).date());
    assertTrue(yes.history().get(0).seconds() > 0);
    assertEquals(List.of(runs.defer.value()), defer.history().stream()
        .map(Report.HistoryEntry::run).toList());
  }

  @Test
  void aRunWithoutMigrationReportsThePlan() {
    List<Row> plan = SharedSpark.get().read().parquet(runs.state.resolve("runs")
        .resolve(runs.planA).resolve("plan").toString()).collectAsList();
    Report.Moves m = defer.moves();
    assertEquals("planned", m.basis());
    assertEquals(List.of(new Report.OutcomeTotals("PLANNED", plan.size(),
        plan.stream().mapToLong(r -> r.<Long>getAs("size")).sum())), m.outcomes());
    Map<String, long[]> rules = new TreeMap<>();
    plan.forEach(r -> add(rules, r.getAs("rule") + " PLANNED", r.<Long>getAs("size")));
    Map<String, long[]> reported = new TreeMap<>();
    m.rules().forEach(t -> reported.put(t.rule() + " " + t.outcome(),
        new long[] {t.files(), t.bytes()}));
    assertEquals(text(rules), text(reported));
    assertEquals(0, m.movedFiles());
    assertEquals("PLANNED", defer.sizes().moved());
    assertEquals(plan.size(), sum(defer.sizes(), Report.Bucket::movedFiles));
    List<File> all = snapshotFiles(runs.snapshotA);
    assertEquals(all.size(), m.fastPools().files(), "nothing moved: every file is on fast");
    assertTrue(defer.summary().contains("planned " + plan.size() + " files"),
        defer.summary());
    assertEquals(List.of(NightlyRuns.BASE.resolve("tree").toString()), defer.sourceRoots());
    assertEquals(List.of("index", "snapshot", "plan"), defer.phases().stream()
        .map(Report.Phase::name).toList());
  }

  @Test
  void reportJsonIsVersionedAndSnakeCase() throws Exception {
    JsonNode j = new ObjectMapper().readTree(Files.readString(runs.state.resolve("runs")
        .resolve(runs.yes.value()).resolve("report.json")));
    assertEquals(1, j.get("tierdex_report").asInt());
    assertEquals(runs.yes.value(), j.get("run").asText());
    for (String key : List.of("exit_code", "source_roots", "top_users", "top_directories",
        "throughput", "history", "summary", "phases", "changes", "sizes", "ages")) {
      assertTrue(j.has(key), key + " missing from " + j.fieldNames());
    }
    assertFalse(j.has("exitCode"));
    assertTrue(j.get("moves").has("moved_bytes"));
    assertTrue(j.get("moves").has("fast_pools"));
    assertTrue(j.get("sizes").get("buckets").get(0).has("remaining_files"));
    assertTrue(j.get("throughput").has("bucket_seconds"));
    assertTrue(j.get("history").get(0).has("moved_files"));
  }

  private List<File> snapshotFiles(String run) {
    return SharedSpark.get().read().parquet(runs.state.resolve("runs").resolve(run)
            .resolve("snapshot").toString()).filter("type = 'f'")
        .select("path", "size", "mtime", "uid").collectAsList().stream()
        .map(r -> new File(r.getString(0), r.getLong(1), r.getLong(2), r.getLong(3))).toList();
  }

  /** Each bucket's counts are the files whose measure lies in its declared bounds. */
  private static void checkBuckets(Report.Distribution d, List<File> moved,
      List<File> remaining, ToLongFunction<File> measure) {
    for (Report.Bucket b : d.buckets()) {
      List<File> in = moved.stream().filter(f -> within(b, measure.applyAsLong(f))).toList();
      List<File> left = remaining.stream().filter(f -> within(b, measure.applyAsLong(f)))
          .toList();
      String where = d.measure() + " bucket " + b.label();
      assertEquals(in.size(), b.movedFiles(), where);
      assertEquals(in.stream().mapToLong(File::size).sum(), b.movedBytes(), where);
      assertEquals(left.size(), b.remainingFiles(), where);
      assertEquals(left.stream().mapToLong(File::size).sum(), b.remainingBytes(), where);
    }
  }

  private static boolean within(Report.Bucket b, long v) {
    return (b.lower() == 0 || v >= b.lower()) && (b.upper() == null || v < b.upper());
  }

  private static long sum(Report.Distribution d, ToLongFunction<Report.Bucket> f) {
    return d.buckets().stream().mapToLong(f).sum();
  }

  private static <K> void add(Map<K, long[]> m, K key, long bytes) {
    long[] v = m.computeIfAbsent(key, k -> new long[2]);
    v[0]++;
    v[1] += bytes;
  }

  private static String text(Map<String, long[]> m) {
    StringBuilder s = new StringBuilder();
    new TreeMap<>(m).forEach((k, v) -> s.append(k).append('=').append(v[0]).append('/')
        .append(v[1]).append('\n'));
    return s.toString();
  }
}
