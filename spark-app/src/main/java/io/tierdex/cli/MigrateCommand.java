package io.tierdex.cli;

import io.tierdex.migrate.Checksum;
import io.tierdex.migrate.Migration;
import io.tierdex.migrate.MigrationSummary;
import io.tierdex.migrate.MoverKind;
import io.tierdex.policy.Policies;
import io.tierdex.policy.PolicyParser;
import io.tierdex.policy.Units;
import io.tierdex.report.Quantities;
import io.tierdex.snapshot.Manifest;
import io.tierdex.snapshot.RunId;
import io.tierdex.snapshot.StateDir;
import io.tierdex.snapshot.StateLease;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "migrate",
    mixinStandardHelpOptions = true,
    description = {
      "Move a committed plan's files to their target pools: one Spark task per bin, on the"
          + " executors (pin them to BeeGFS client nodes with --hosts), each task moving its"
          + " files largest first with --threads movers. The path stays; the file gets a new"
          + " inode. Files that vanished, changed since the plan, were modified within"
          + " min-age, or are open are left untouched and say so in the ledger.",
      "Writes runs/<plan>/ledger (one row per planned file: outcome, reason, bytes,"
          + " checksum, new inode, start, end, host, attempt), records moved files in"
          + " tiering/, updates the index, and writes runs/<plan>/migration.json last."
          + " Rerunning an unfinished migration resumes it; a finished one is reported, not"
          + " redone. Exit code 1 if any file FAILED. One migrate per state directory at a"
          + " time."
    },
    footer = {"", "Examples:",
      "  tierdex migrate --plan 20261122-101500 --state /srv/tierdex",
      "  tierdex migrate --plan 20261122-101500 --state /srv/tierdex --mover beegfs"
          + " --hosts client01,client02 --bandwidth 500MiB"})
final class MigrateCommand implements Callable<Integer> {
  @Option(names = "--plan", paramLabel = "RUN", required = true,
      description = "The plan run to migrate (tierdex runs lists them).")
  String plan;

  @Option(names = "--mover", paramLabel = "NAME", defaultValue = "copy",
      description = "copy (copy and rename; any POSIX file system), beegfs (BeeGFS 8 beegfs"
          + " entry migrate) or beegfs-ctl (BeeGFS 7 beegfs-ctl --migrate)."
          + " Default: ${DEFAULT-VALUE}.")
  String mover;

  @Option(names = "--root", paramLabel = "DIR",
      description = "Refuse files outside this directory (default: the snapshot's source).")
  String root;

  @Option(names = "--staging", paramLabel = "DIR",
      description = "copy: create copies here (a directory under the root whose BeeGFS"
          + " pattern selects the target pool) instead of in each file's directory.")
  String staging;

  @Option(names = "--verify", description = "copy: re-read each original after the copy and"
      + " compare checksums.")
  boolean verify;

  // No fallbackValue on these: with fallbackValue = "true", picocli sets the field to true
  // for --no-fsync and to false for --fsync, the opposite of what the names say.
  @Option(names = "--no-fsync", negatable = true, defaultValue = "true",
      description = "copy: flush each copy to stable storage before it replaces the original"
          + " (default; --no-fsync leaves it to the file system, as cp and BeeGFS's own"
          + " tools do).")
  boolean fsync;

  @Option(names = "--checksum", paramLabel = "ALG", defaultValue = "crc32c",
      description = "copy: crc32c, sha256 or none. Default: ${DEFAULT-VALUE}.")
  String checksum;

  @Option(names = "--min-age", paramLabel = "AGE",
      description = "Leave files modified or changed more recently (default: the policy"
          + " file's min_age).")
  String minAge;

  @Option(names = "--tag-xattr", paramLabel = "NAME",
      description = "copy: set this extended attribute (e.g. user.tierdex.pool) on each moved"
          + " file to its target pool's name.")
  String tagXattr;

  @Option(names = "--bandwidth", paramLabel = "SIZE",
      description = "copy: bytes per second for all copies of one executor, e.g. 500MiB.")
  String bandwidth;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "4",
      description = "Movers per task (files in flight per bin). Default: ${DEFAULT-VALUE}.")
  int threads;

  @Option(names = "--max-in-flight", paramLabel = "N", defaultValue = "256",
      description = "Files in flight across the cluster; --threads is lowered to fit."
          + " Default: ${DEFAULT-VALUE}.")
  int maxInFlight;

  @Option(names = "--hosts", paramLabel = "HOST", split = ",",
      description = "Executor hosts to run bins on, round robin (BeeGFS client nodes).")
  List<String> hosts = List.of();

  @Option(names = "--batch", paramLabel = "N", defaultValue = "1000",
      description = "beegfs: paths per beegfs entry migrate call. Default: ${DEFAULT-VALUE}.")
  int batch;

  @Option(names = "--beegfs", paramLabel = "PATH", defaultValue = "beegfs",
      description = "The beegfs executable. Default: ${DEFAULT-VALUE}.")
  String beegfs;

  @Option(names = "--beegfs-ctl", paramLabel = "PATH", defaultValue = "beegfs-ctl",
      description = "The beegfs-ctl executable. Default: ${DEFAULT-VALUE}.")
  String beegfsCtl;

  @Option(names = "--no-write-back", negatable = true, defaultValue = "true",
      description = "Update the moved files' rows in the index the"
      + " snapshot was read from (inode, ossint1/2, osstext1/2). Default: on.")
  boolean writeBack;

  @Option(names = "--open-check", paramLabel = "WHERE", defaultValue = "node",
      description = "copy: where to look for processes that have a file open: node (this"
          + " node: a write lease, else /proc) or beegfs (also every BeeGFS 8 client, from"
          + " beegfs entry info session counts; one call per file). Default: ${DEFAULT-VALUE}.")
  String openCheck;

  @Option(names = "--policies", paramLabel = "FILE",
      description = "The policy file for pool ids and min_age (default: the plan's).")
  Path policies;

  @Option(names = "--fail-after", hidden = true, defaultValue = "0")
  int failAfter;

  /** Tests only: a killed migrate's lease lapses after this instead of two minutes. */
  @Option(names = "--lease-ttl", hidden = true, paramLabel = "AGE")
  String leaseTtl;

  @Mixin
  StateOptions state;

  @Override
  public Integer call() {
    try (SparkSessions s = SparkSessions.open(state.master, "tierdex migrate")) {
      StateDir dir = state.open(s.spark());
      Migration migration = new Migration(s.spark(), dir);
      RunId id = new RunId(plan);
      Manifest m = migration.plan(id);
      Optional<MigrationSummary> before = migration.finished(id);
      if (before.isPresent()) {
        System.out.println("plan " + id + " was migrated already (finished "
            + before.get().finished() + "); nothing to do. Its ledger:");
        print(before.get(), dir.output(id, "ledger").toString(), System.out);
        return before.get().failed() > 0 ? Tierdex.FAILED : Tierdex.OK;
      }
      Policies p = PolicyParser.load(policies != null ? policies : Path.of(m.plan().policies()));
      String sourceRoot = root != null ? root : migration.snapshotOf(m).source();
      Migration.Options o = new Migration.Options(MoverKind.parse(mover), sourceRoot, staging,
          verify, fsync, Checksum.valueOf(checksum.toUpperCase()),
          minAge != null ? Units.parseAge(minAge) : p.minAge(), tagXattr,
          bandwidth != null ? Units.parseBytes(bandwidth) : 0, threads, maxInFlight, hosts,
          batch, beegfs, beegfsCtl, writeBack, failAfter, openCheck(openCheck));
      try (StateLease lease = StateLease.acquire(dir, "migrate --plan " + id,
          StateLease.DEFAULT_TTL)) {
        MigrationSummary r;
        try (PhaseProgress progress = PhaseProgress.start(s.spark().sparkContext(), "migrate",
            System.err)) {
          r = migration.run(m, p, o, lease::ensureHeld);
        }
        print(r, dir.output(id, "ledger").toString(), System.out);
        return r.failed() > 0 ? Tierdex.FAILED : Tierdex.OK;
      }
    }
  }

  private static boolean openCheck(String where) {
    return switch (where) {
      case "node" -> false;
      case "beegfs" -> true;
      default -> throw new IllegalArgumentException("unknown --open-check '" + where
          + "'; use node or beegfs");
    };
  }

  static void print(MigrationSummary s, String ledger, PrintStream out) {
    out.printf("migration of plan %s (%s mover): %.1f s, %s/s moved%n", s.plan(), s.mover(),
        s.seconds(), Quantities.bytes((long) s.bytesPerSecond()));
    out.printf("  %-16s %12s %10s%n", "outcome", "files", "bytes");
    for (Map.Entry<String, MigrationSummary.Totals> e : s.outcomes().entrySet()) {
      out.printf("  %-16s %12s %10s%n", e.getKey(), Quantities.count(e.getValue().files()),
          Quantities.bytes(e.getValue().bytes()));
    }
    out.println("  per rule:");
    for (Map.Entry<String, Map<String, MigrationSummary.Totals>> r : s.rules().entrySet()) {
      StringBuilder line = new StringBuilder();
      for (Map.Entry<String, MigrationSummary.Totals> e : r.getValue().entrySet()) {
        line.append(String.format("  %s %s (%s)", e.getKey(), Quantities.count(e.getValue().files()),
            Quantities.bytes(e.getValue().bytes())));
      }
      out.printf("    %-20s%s%n", r.getKey(), line);
    }
    if (!s.failures().isEmpty()) {
      out.println("  failed (first " + s.failures().size() + "):");
      for (MigrationSummary.Failure f : s.failures()) {
        out.println("    " + f.path() + ": " + f.reason());
      }
    }
    out.println("  executors: " + String.join(", ", s.executors()));
    out.println("  tier state: " + Quantities.count(s.tierState()) + " files recorded");
    if (s.writeBack() != null) {
      out.println("  index: " + Quantities.count(s.writeBack().rows()) + " rows in "
          + Quantities.count(s.writeBack().directories()) + " directories updated"
          + (s.writeBack().problems().isEmpty() ? ""
              : "; problems: " + String.join("; ", s.writeBack().problems())));
    }
    out.println("  ledger: " + ledger);
  }
}
