package io.tierdex.policy;

import io.tierdex.snapshot.Manifest;
import io.tierdex.snapshot.RunId;
import io.tierdex.snapshot.SnapshotRuns;
import io.tierdex.snapshot.StateDir;
import io.tierdex.snapshot.StateException;
import io.tierdex.snapshot.TierState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code tierdex plan}: policies over a committed snapshot, written as the run's
 * {@code plan/} with a manifest, or (dry run) only reported, touching nothing in the state
 * directory.
 */
public final class PlanRuns {
  private final SparkSession spark;
  private final StateDir state;
  private final String version;

  public PlanRuns(SparkSession spark, StateDir state, String version) {
    this.spark = spark;
    this.state = state;
    this.version = version;
  }

  /**
   * What a plan did. {@code manifest} is null for a dry run; {@code largest} has each
   * rule's largest selected files, in rule order.
   */
  public record Outcome(Manifest manifest, Manifest.PlanInfo plan,
      List<List<Planner.Candidate>> largest) {}

  /** The plan's options: the snapshot run (null: the newest), bins, dry run, runs kept. */
  public record Options(RunId snapshot, int bins, boolean dryRun, int keep) {}

  /** The snapshot to plan from and the policies compiled against it, for --explain. */
  public CompiledPolicies compile(Path policies, RunId snapshot, Instant now) {
    return PolicyCompiler.compile(PolicyParser.load(policies), entries(source(snapshot)), now);
  }

  public Outcome plan(Path policies, Options o) {
    Instant now = Instant.now();
    Manifest source = source(o.snapshot());
    Dataset<Row> entries = entries(source);
    CompiledPolicies compiled = PolicyCompiler.compile(PolicyParser.load(policies), entries,
        now);
    RunId id = o.dryRun() ? null : state.begin();
    List<Planner.RuleOutcome> rules = new Planner(spark).plan(compiled, entries,
        new TierState(spark, state).current(), o.bins(), files(source),
        id == null ? null : state.output(id, "plan").toString());
    Manifest.PlanInfo info = new Manifest.PlanInfo(source.run(), policies.toString(),
        sha256(policies), o.bins(), rules.stream().map(Planner.RuleOutcome::totals).toList());
    List<List<Planner.Candidate>> largest = rules.stream().map(Planner.RuleOutcome::largest)
        .toList();
    if (id == null) {
      return new Outcome(null, info, largest);
    }
    Manifest m = new Manifest(Manifest.FORMAT, id.value(), "plan", now.toString(),
        Instant.now().toString(), version, null, null, info, null);
    state.commit(m);
    state.retain(o.keep(), SnapshotRuns.STALE);
    return new Outcome(m, info, largest);
  }

  /**
   * What {@code policies} would select from a committed snapshot (null: the newest), as
   * {@code plan --dry-run} reports it, writing nothing anywhere: for what-if questions from
   * notebooks, where a rule is changed in memory ({@link Policies#withCondition}).
   */
  public List<Planner.RuleOutcome> whatIf(Policies policies, RunId snapshot) {
    Manifest source = source(snapshot);
    Dataset<Row> entries = entries(source);
    CompiledPolicies compiled = PolicyCompiler.compile(policies, entries, Instant.now());
    return new Planner(spark).plan(compiled, entries, new TierState(spark, state).current(),
        spark.sparkContext().defaultParallelism(), files(source), null);
  }

  /** The snapshot's file count, which sizes the planner's sort ranges. */
  private static long files(Manifest source) {
    return source.snapshot() == null ? 0 : source.snapshot().files();
  }

  private Manifest source(RunId snapshot) {
    if (snapshot != null) {
      return state.withSnapshot(snapshot);
    }
    List<Manifest> snaps = state.snapshots();
    if (snaps.isEmpty()) {
      throw new StateException(state.root() + " has no committed snapshot to plan from; run"
          + " tierdex snapshot INDEX --state " + state.root() + " first");
    }
    return snaps.get(0);
  }

  private Dataset<Row> entries(Manifest source) {
    return PolicyCompiler.entries(spark.read().parquet(state.output(source.runId(),
        "snapshot").toString()));
  }

  private static String sha256(Path file) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(Files.readAllBytes(file)));
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new PolicyException("cannot read the policy file " + file + ": " + e.getMessage());
    }
  }
}
