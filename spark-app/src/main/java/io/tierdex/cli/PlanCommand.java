package io.tierdex.cli;

import io.tierdex.policy.PlanRuns;
import io.tierdex.policy.Planner;
import io.tierdex.report.Quantities;
import io.tierdex.snapshot.Manifest;
import io.tierdex.snapshot.RunId;
import io.tierdex.snapshot.StateDir;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "plan",
    mixinStandardHelpOptions = true,
    description = {
      "Which files to move: the policy file's rules over a committed snapshot (default: the"
          + " newest). A file belongs to the first rule that matches it; exclude rules win;"
          + " files changed within min_age, and files tierdex moved that are unchanged since,"
          + " are never selected. Each rule's files are ranked by weight (default: size,"
          + " largest first) and cut at its limits and thresholds.",
      "Writes runs/<id>/plan (path, inode, size, mtime, ctime, rule, from_pool, to_pool,"
          + " weight, rank, bin): the files dealt into bins even in bytes and files, for the"
          + " movers. --dry-run writes nothing; --explain prints each rule's SQL and stops."
    },
    footer = {"", "Examples:",
      "  tierdex plan --policies conf/policies.yaml --state /srv/tierdex --dry-run",
      "  tierdex plan --policies conf/policies.yaml --state /srv/tierdex --explain",
      "  tierdex plan --policies conf/policies.yaml --state /srv/tierdex --bins 16"})
final class PlanCommand implements Callable<Integer> {
  @Option(names = "--policies", paramLabel = "FILE", required = true,
      description = "The policy file (YAML; conf/policies.yaml is an example).")
  Path policies;

  @Option(names = "--snapshot", paramLabel = "RUN",
      description = "The snapshot run to plan from (default: the newest).")
  String snapshot;

  @Option(names = "--bins", paramLabel = "N",
      description = "Bins to deal the files into, one per mover task (default: the Spark"
          + " session's parallelism).")
  Integer bins;

  @Option(names = "--dry-run", description = "Plan and report, and write nothing at all to"
      + " the state directory.")
  boolean dryRun;

  @Option(names = "--explain", description = "Print the Spark SQL of each rule and stop.")
  boolean explain;

  @Mixin
  StateOptions state;

  @Override
  public Integer call() {
    try (SparkSessions s = SparkSessions.open(state.master, "tierdex plan")) {
      StateDir dir = state.open(s.spark());
      PlanRuns runs = new PlanRuns(s.spark(), dir, Tierdex.version());
      RunId from = snapshot == null ? null : new RunId(snapshot);
      if (explain) {
        System.out.print(runs.compile(policies, from, Instant.now()).explain());
        return Tierdex.OK;
      }
      int n = bins != null ? bins : s.spark().sparkContext().defaultParallelism();
      PlanRuns.Outcome o = runs.plan(policies, new PlanRuns.Options(from, n, dryRun,
          state.keep));
      print(o, o.manifest() == null ? null : dir.output(o.manifest().runId(), "plan")
          .toString(), System.out);
    }
    return Tierdex.OK;
  }

  static void print(PlanRuns.Outcome o, String location, PrintStream out) {
    Manifest.PlanInfo p = o.plan();
    out.printf("%s from snapshot %s (%s), %d bins%n", o.manifest() == null
        ? "plan (dry run, nothing written)" : "plan " + o.manifest().run(), p.snapshot(),
        p.policies(), p.bins());
    out.printf("  %-20s %-14s %12s %10s %9s %9s %8s %9s %12s %10s%n", "rule", "pools",
        "matched", "bytes", "excluded", "migrated", "too new", "on target", "selected",
        "bytes");
    for (int i = 0; i < p.rules().size(); i++) {
      Manifest.RulePlan r = p.rules().get(i);
      out.printf("  %-20s %-14s %12s %10s %9s %9s %8s %9s %12s %10s%n", r.name(),
          r.from() + "->" + r.to(), Quantities.count(r.matched()), Quantities.bytes(r.matchedBytes()),
          Quantities.count(r.excluded()), Quantities.count(r.migrated()), Quantities.count(r.tooNew()),
          Quantities.count(r.onTarget()), Quantities.count(r.selected()), Quantities.bytes(r.selectedBytes()));
      if (r.note() != null) {
        out.println("      " + r.note());
      }
      List<Planner.Candidate> largest = o.largest().get(i);
      if (!largest.isEmpty()) {
        out.println("      largest selected:");
        for (Planner.Candidate c : largest) {
          out.printf("      %10s  %s%n", Quantities.bytes(c.size()), c.path());
        }
      }
    }
    if (location != null) {
      out.println("  plan: " + location);
    }
  }
}
