package io.tierdex.cli;

import io.tierdex.config.TierdexConfig;
import io.tierdex.index.IndexRequest;
import io.tierdex.index.TreeIndexer;
import io.tierdex.index.Trees;
import io.tierdex.migrate.Checksum;
import io.tierdex.migrate.Migration;
import io.tierdex.migrate.MigrationSummary;
import io.tierdex.migrate.MoverKind;
import io.tierdex.policy.PlanRuns;
import io.tierdex.policy.PolicyParser;
import io.tierdex.policy.Policies;
import io.tierdex.report.Quantities;
import io.tierdex.report.Report;
import io.tierdex.report.ReportInputs;
import io.tierdex.report.ReportText;
import io.tierdex.report.ReportWriter;
import io.tierdex.snapshot.Manifest;
import io.tierdex.snapshot.RunId;
import io.tierdex.snapshot.SnapshotRuns;
import io.tierdex.snapshot.SnapshotTable;
import io.tierdex.snapshot.StateDir;
import io.tierdex.snapshot.StateLease;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.hadoop.fs.FileUtil;
import org.apache.spark.sql.SparkSession;

/**
 * One nightly run: index (or reuse an index), snapshot, diff, plan, migrate, commit, in
 * one Spark application. Each stage commits its own run in the state directory; this run
 * keeps {@code runs/<id>/progress.json} naming them, so the same command run again after
 * an interruption goes on at the first stage not done (a migration resumes from its
 * journals), and commits {@code runs/<id>/manifest.json} (kind {@code run}) last. One run
 * per state directory at a time (the lease); one committed run per night and mode.
 */
final class NightlyRun {
  static final String PROGRESS = "progress.json";

  /** What the run may do. */
  enum Mode {
    /** Evaluate and report; nothing written to the index, the state directory or files. */
    TEST,
    /** Stop after the plan. */
    DEFER,
    /** Move the planned files. */
    YES;

    static Mode parse(String s) {
      for (Mode m : values()) {
        if (m.name().equalsIgnoreCase(s)) {
          return m;
        }
      }
      throw new IllegalArgumentException("--mode must be test, defer or yes, not '" + s + "'");
    }

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** How it ended: the exit code, and the one-line summary printed last. */
  record Result(int exitCode, String summary) {}

  private final SparkSession spark;
  private final TierdexConfig config;
  private final PrintStream out;
  private final Pauses pauses;
  private final List<Manifest.Phase> phases = new ArrayList<>();

  NightlyRun(SparkSession spark, TierdexConfig config, PrintStream out, Pauses pauses) {
    this.spark = spark;
    this.config = config;
    this.out = out;
    this.pauses = pauses;
  }

  Result run(Mode mode, LocalDate date) throws Exception {
    if (mode == Mode.TEST) {
      return test(date);
    }
    StateDir state = StateDir.open(config.state(), spark.sparkContext().hadoopConfiguration());
    String what = "run --config " + config.file() + " --mode " + mode.label() + " --run-date "
        + date;
    try (StateLease lease = StateLease.acquire(state, what, StateLease.DEFAULT_TTL)) {
      Optional<Manifest> done = committed(state, mode, date);
      if (done.isPresent()) {
        Manifest.NightlyInfo n = done.get().nightly();
        out.println("run " + done.get().run() + " for " + date + " (" + mode.label()
            + ") committed already; nothing to do");
        return new Result(n.exitCode(), n.summary());
      }
      RunId id = resumable(state, mode, date).orElseGet(state::begin);
      Manifest.NightlyInfo p = state.readJson(id, PROGRESS, Manifest.NightlyInfo.class)
          .orElse(new Manifest.NightlyInfo(mode.label(), date.toString(),
              config.file().toString(), null, null, null, false, null, null, List.of()));
      if (!p.phases().isEmpty()) {
        phases.addAll(p.phases());
        out.println("run " + id + ": resuming after " + p.phases().get(p.phases().size() - 1)
            .name());
      } else {
        out.println("run " + id + " (" + mode.label() + ", " + date + ")");
      }
      state.replaceJson(id, PROGRESS, p);
      SnapshotRuns snapshots = new SnapshotRuns(spark, state, Tierdex.version());
      int keep = config.keepRuns();

      if (p.snapshot() == null) {
        String source = config.source().root().toString();
        Optional<Manifest> made = madeSince(state, id, "snapshot",
            m -> m.snapshot() != null && m.snapshot().source().equals(source));
        Manifest snap;
        if (made.isPresent()) {
          snap = made.get();
        } else {
          Path indexRoot = index();
          p = record(state, id, p, null, p.diff(), p.plan(), false); // the index's time
          pauses.reached("index");
          lease.ensureHeld();
          snap = timed("snapshot", () -> snapshots.snapshot(indexRoot.toString(),
              new SnapshotRuns.Options(source, SnapshotTable.DEFAULT_BUCKETS, false, keep)));
        }
        pauses.reached("snapshot");
        out.printf("snapshot %s: %s files (%s)%n", snap.run(),
            Quantities.count(snap.snapshot().files()), Quantities.bytes(snap.snapshot().bytes()));
        p = record(state, id, p, snap.run(), p.diff(), p.plan(), false);
      }
      RunId snapshot = new RunId(p.snapshot());
      if (p.diff() == null) {
        Optional<Manifest> previous = state.snapshots().stream()
            .filter(m -> m.runId().compareTo(snapshot) < 0).findFirst();
        String diff = "";
        if (previous.isPresent()) {
          Optional<Manifest> made = madeSince(state, id, "diff",
              m -> m.changes() != null && m.changes().current().equals(snapshot.value()));
          Manifest d = made.isPresent() ? made.get() : timed("diff",
              () -> snapshots.diffRuns(previous.get().runId(), snapshot, keep));
          pauses.reached("diff");
          DiffCommand.printSummary(d, state.output(d.runId(), "changes").toString(), out);
          diff = d.run();
        } else {
          out.println("diff: first snapshot of " + config.source().root()
              + ", nothing to compare with");
        }
        p = record(state, id, p, p.snapshot(), diff, p.plan(), false);
      }
      if (p.plan() == null) {
        lease.ensureHeld();
        Optional<Manifest> made = madeSince(state, id, "plan",
            m -> m.plan() != null && m.plan().snapshot().equals(snapshot.value()));
        String plan;
        if (made.isPresent()) {
          plan = made.get().run();
        } else {
          PlanRuns.Outcome o = timed("plan", () -> new PlanRuns(spark, state,
              Tierdex.version()).plan(config.policies(),
              new PlanRuns.Options(snapshot, bins(), false, keep)));
          PlanCommand.print(o, state.output(o.manifest().runId(), "plan").toString(), out);
          plan = o.manifest().run();
        }
        pauses.reached("plan");
        p = record(state, id, p, p.snapshot(), p.diff(), plan, false);
      }
      MigrationSummary moved = null;
      if (mode == Mode.YES) {
        Migration migration = new Migration(spark, state);
        RunId plan = new RunId(p.plan());
        Optional<MigrationSummary> before = migration.finished(plan);
        if (before.isPresent()) {
          moved = before.get();
          if (phases.stream().noneMatch(ph -> ph.name().equals("migrate"))) {
            phase("migrate", Duration.between(Instant.parse(moved.started()),
                Instant.parse(moved.finished())).toMillis() / 1e3);
          }
        } else {
          Manifest m = migration.plan(plan);
          Policies policies = PolicyParser.load(config.policies());
          moved = timed("migrate", () -> migration.run(m, policies, migrateOptions(policies),
              lease::ensureHeld));
        }
        pauses.reached("migrate");
        MigrateCommand.print(moved, state.output(plan, "ledger").toString(), out);
        p = record(state, id, p, p.snapshot(), p.diff(), p.plan(), true);
      }
      int exit = exitCode(moved);
      lease.ensureHeld();
      Manifest.NightlyInfo progress = p;
      ReportWriter.Written report = timed("report", () -> ReportWriter.write(spark,
          new ReportInputs(state, id, mode.label(), true, exit, reportPhases(), snapshot,
              progress.diff().isEmpty() ? null : new RunId(progress.diff()),
              new RunId(progress.plan()), progress.migrated(), config.reportHistory())));
      pauses.reached("report");
      // A local report as a plain path, to open or paste; others as the URI they are.
      String page = "file".equals(report.html().toUri().getScheme())
          ? report.html().toUri().getPath() : report.html().toString();
      String summary = "tierdex " + report.report().summary() + "; report: " + page;
      state.commit(new Manifest(Manifest.FORMAT, id.value(), "run", id.started().toString(),
          Instant.now().toString(), Tierdex.version(), null, null, null,
          new Manifest.NightlyInfo(mode.label(), date.toString(), config.file().toString(),
              p.snapshot(), p.diff(), p.plan(), p.migrated(), exit, summary,
              List.copyOf(phases))));
      pauses.reached("commit");
      state.retain(keep, SnapshotRuns.STALE);
      printPhases();
      return new Result(exit, summary);
    }
  }

  /**
   * Test mode: the night's index and snapshot in a scratch directory, the plan computed and
   * reported, nothing kept. The tier state is copied in, so moved files count as moved.
   */
  private Result test(LocalDate date) throws Exception {
    Path scratch = Files.createTempDirectory("tierdex-test-run-");
    try {
      StateDir real = StateDir.open(config.state(), spark.sparkContext().hadoopConfiguration());
      StateDir state = StateDir.open(scratch.resolve("state").toString(),
          spark.sparkContext().hadoopConfiguration());
      if (real.fileSystem().exists(real.tiering())) {
        FileUtil.copy(real.fileSystem(), real.tiering(), state.fileSystem(), state.tiering(),
            false, spark.sparkContext().hadoopConfiguration());
      }
      Path indexRoot = config.source().useIndex() != null ? config.source().useIndex()
          : timed("index", () -> indexInto(scratch.resolve("index")));
      Manifest snap = timed("snapshot", () -> new SnapshotRuns(spark, state, Tierdex.version())
          .snapshot(indexRoot.toString(), new SnapshotRuns.Options(
              config.source().root().toString(), SnapshotTable.DEFAULT_BUCKETS, false, 1)));
      PlanRuns.Outcome o = timed("plan", () -> new PlanRuns(spark, state, Tierdex.version())
          .plan(config.policies(), new PlanRuns.Options(snap.runId(), bins(), false, 2)));
      PlanCommand.print(o, null, out);
      // The report of what the night would do, printed: its files go with the scratch.
      RunId id = state.begin();
      Report report = ReportWriter.write(spark, new ReportInputs(state, id, Mode.TEST.label(),
          false, Tierdex.OK, reportPhases(), snap.runId(), null, o.manifest().runId(), false, 0))
          .report();
      out.print(ReportText.of(report));
      printPhases();
      return new Result(Tierdex.OK, "tierdex " + report.summary() + "; nothing written"
          + " (test mode)");
    } finally {
      Trees.delete(scratch);
    }
  }

  /** Indexes the root, unless the configuration names an index to use as it is. */
  private Path index() throws Exception {
    if (config.source().useIndex() != null) {
      out.println("index: using " + config.source().useIndex() + " as it is");
      return config.source().useIndex();
    }
    return timed("index", () -> indexInto(config.source().index()));
  }

  private Path indexInto(Path parent) throws Exception {
    int threads = config.source().indexThreads() > 0 ? config.source().indexThreads()
        : Runtime.getRuntime().availableProcessors();
    TreeIndexer.Result r = new TreeIndexer(System.err, false).index(
        IndexRequest.of(List.of(config.source().root()), parent, threads));
    out.printf("index: %s directories, %s files of %s into %s%n", Quantities.count(r.dirs()),
        Quantities.count(r.nondirs()), config.source().root(), r.indexRoots().get(0));
    return r.indexRoots().get(0);
  }

  private int bins() {
    return config.bins() > 0 ? config.bins() : spark.sparkContext().defaultParallelism();
  }

  private Migration.Options migrateOptions(Policies policies) {
    TierdexConfig.Migrate m = config.migrate();
    return new Migration.Options(MoverKind.parse(m.mover()), config.source().root().toString(),
        m.staging() == null ? null : m.staging().toString(), m.verify(), m.fsync(),
        Checksum.valueOf(m.checksum().toUpperCase(Locale.ROOT)),
        m.minAge() != null ? m.minAge() : policies.minAge(), m.tagXattr(), m.bandwidth(),
        m.threads(), m.maxInFlight(), m.hosts(), 1000, m.beegfs(), m.beegfsCtl(),
        m.writeBack(), 0, m.openCheck().equals("beegfs"));
  }

  /**
   * A stage run committed after this run began: this run made it, then was stopped before
   * it could note so in its progress. Taken as done, so a resumed night never holds two
   * snapshots (whose diff would find nothing changed) or two plans. Its time is its own.
   */
  private Optional<Manifest> madeSince(StateDir state, RunId id, String kind,
      Predicate<Manifest> stage) {
    Optional<Manifest> made = state.committed().stream().filter(m -> m.kind().equals(kind)
        && m.runId().compareTo(id) > 0 && stage.test(m)).reduce((a, b) -> b);
    made.ifPresent(m -> {
      out.println(kind + " " + m.run() + " was committed before the interruption; kept");
      phase(kind, Duration.between(Instant.parse(m.started()), Instant.parse(m.finished()))
          .toMillis() / 1e3);
    });
    return made;
  }

  /** A committed run for this night, configuration and mode. */
  private Optional<Manifest> committed(StateDir state, Mode mode, LocalDate date) {
    return state.committed().stream().filter(m -> m.nightly() != null
        && matches(m.nightly(), mode, date)).reduce((a, b) -> b);
  }

  /** The newest interrupted run for this night, configuration and mode. */
  private Optional<RunId> resumable(StateDir state, Mode mode, LocalDate date) {
    List<RunId> incomplete = new ArrayList<>(state.incomplete());
    incomplete.sort(java.util.Comparator.reverseOrder());
    for (RunId id : incomplete) {
      Optional<Manifest.NightlyInfo> p = state.readJson(id, PROGRESS, Manifest.NightlyInfo.class);
      if (p.isPresent() && matches(p.get(), mode, date)) {
        return Optional.of(id);
      }
    }
    return Optional.empty();
  }

  private boolean matches(Manifest.NightlyInfo n, Mode mode, LocalDate date) {
    return n.mode().equals(mode.label()) && n.runDate().equals(date.toString())
        && n.config().equals(config.file().toString());
  }

  /** The progress with a stage's run added, saved so an interrupted run resumes after it. */
  private Manifest.NightlyInfo record(StateDir state, RunId id, Manifest.NightlyInfo p,
      String snapshot, String diff, String plan, boolean migrated) {
    Manifest.NightlyInfo now = new Manifest.NightlyInfo(p.mode(), p.runDate(), p.config(),
        snapshot, diff, plan, migrated, null, null, List.copyOf(phases));
    state.replaceJson(id, PROGRESS, now);
    return now;
  }

  /** 0 when nothing moved or the failures are within the larger allowance; else 1. */
  private int exitCode(MigrationSummary moved) {
    if (moved == null || moved.failed() == 0) {
      return Tierdex.OK;
    }
    long planned = moved.outcomes().values().stream()
        .mapToLong(MigrationSummary.Totals::files).sum();
    long allowed = Math.max(config.thresholds().maxFailedFiles(),
        (long) Math.floor(planned * config.thresholds().maxFailedPercent() / 100));
    return moved.failed() > allowed ? Tierdex.FAILED : Tierdex.OK;
  }

  private String seconds() {
    return String.format(Locale.ROOT, "%.0f s", phases.stream()
        .mapToDouble(Manifest.Phase::seconds).sum());
  }

  private List<Report.Phase> reportPhases() {
    return phases.stream().map(ph -> new Report.Phase(ph.name(), ph.seconds())).toList();
  }

  private void printPhases() {
    out.println("phases:");
    for (Manifest.Phase ph : phases) {
      out.printf(Locale.ROOT, "  %-10s %8.1f s%n", ph.name(), ph.seconds());
    }
  }

  /**
   * Where a run stops between two steps, for the tests that kill it there: each stage's
   * name once its result is durable and before the run notes it in its progress.
   */
  interface Pauses {
    Pauses NONE = point -> {};

    void reached(String point) throws InterruptedException;
  }

  /** A stage that can throw. */
  interface Stage<T> {
    T run() throws Exception;
  }

  private <T> T timed(String name, Stage<T> stage) throws Exception {
    out.println("== " + name + " ==");
    long t0 = System.nanoTime();
    T r;
    try (PhaseProgress progress = PhaseProgress.start(spark.sparkContext(), name, System.err)) {
      r = stage.run();
    }
    phase(name, (System.nanoTime() - t0) / 1e9);
    return r;
  }

  /** A phase's time; a stage done again after an interruption counts its last attempt. */
  private void phase(String name, double seconds) {
    phases.removeIf(ph -> ph.name().equals(name));
    phases.add(new Manifest.Phase(name, seconds));
  }
}
