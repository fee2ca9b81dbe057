package io.tierdex.cli;

import io.tierdex.config.TierdexConfig;
import io.tierdex.index.Trees;
import io.tierdex.sample.SampleTree;
import io.tierdex.sample.SampleTreeSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "The nightly job: index the tree (or use an index GUFI built), snapshot it, diff it"
          + " with the last snapshot, plan with the policies, migrate, commit; one Spark"
          + " application, every setting from --config. --mode test evaluates and reports,"
          + " writing nothing; defer stops after the plan; yes moves the files.",
      "Run again after an interruption, the same command goes on where it stopped; a run"
          + " for a night that committed already does nothing. The last line is a one-line"
          + " summary; the exit code is 0 only when the run committed with failures within"
          + " the configured thresholds.",
      "Without --config: the embedded default, on a sample tree it generates under"
          + " --workdir (mode yes)."
    },
    footer = {"", "Examples:",
      "  tierdex run",
      "  tierdex run --config /etc/tierdex/tierdex.yaml --mode test",
      "  tierdex run --config /etc/tierdex/tierdex.yaml --mode yes --run-date 2026-11-22",
      "  tierdex run --config conf/tierdex.yaml --set migrate.threads=8 --set plan.bins=32"})
final class RunCommand implements Callable<Integer> {
  @Option(names = "--config", paramLabel = "FILE",
      description = "The settings (conf/tierdex.yaml documents every key).")
  Path config;

  @Option(names = "--mode", paramLabel = "MODE",
      description = "test, defer or yes. Default: defer with --config, yes for the embedded"
          + " default.")
  String mode;

  @Option(names = "--run-date", paramLabel = "DATE",
      description = "The night this run is for (YYYY-MM-DD, Airflow's ds). Default: today"
          + " (UTC).")
  LocalDate runDate;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Override a key of the configuration, e.g. migrate.threads=8.")
  List<String> overrides = List.of();

  @Option(names = "--master", paramLabel = "URL",
      description = "Spark master (default: spark.master of the configuration, else"
          + " spark-submit's, else local[*]).")
  String master;

  @Option(names = "--workdir", paramLabel = "DIR", defaultValue = "tierdex-demo",
      description = "Embedded default: its working directory (default: ./${DEFAULT-VALUE}).")
  Path workdir;

  @Option(names = "--pause-at", hidden = true, paramLabel = "STAGE",
      description = "Tests only: stop after STAGE is durable and wait to be killed.")
  String pauseAt;

  @Override
  public Integer call() throws Exception {
    boolean embedded = config == null;
    Path file = embedded ? embeddedDefault(workdir.toAbsolutePath().normalize()) : config;
    // Checked whole before Spark starts: a bad file touches nothing.
    TierdexConfig c = TierdexConfig.load(file, overrides);
    NightlyRun.Mode m = NightlyRun.Mode.parse(mode != null ? mode : embedded ? "yes" : "defer");
    LocalDate date = runDate != null ? runDate : LocalDate.now(ZoneOffset.UTC);
    try (SparkSessions s = SparkSessions.open(master != null ? master : c.master(),
        "tierdex run " + m.label() + " " + date)) {
      NightlyRun.Result r = new NightlyRun(s.spark(), c, System.out, pauses()).run(m, date);
      System.out.println(r.summary());
      return r.exitCode();
    }
  }

  private NightlyRun.Pauses pauses() {
    if (pauseAt == null) {
      return NightlyRun.Pauses.NONE;
    }
    return point -> {
      if (point.equals(pauseAt)) {
        System.out.flush();
        System.err.println("paused after " + point + " (--pause-at); waiting to be killed");
        System.err.flush();
        while (true) {
          Thread.sleep(60_000);
        }
      }
    };
  }

  /**
   * The embedded default's configuration: a sample tree, an index, a state directory and a
   * policy under {@code work}, made on first use.
   */
  private static Path embeddedDefault(Path work) throws IOException {
    Path tree = work.resolve("sample");
    if (!Files.isDirectory(tree)) {
      // Built beside and renamed, so an interrupted first run never leaves half a tree.
      SampleTreeSpec spec = SampleTreeSpec.preset("demo");
      Path partial = work.resolve(".sample-partial");
      Trees.delete(partial);
      SampleTree.create(spec, partial, Runtime.getRuntime().availableProcessors());
      Files.move(partial, tree, StandardCopyOption.ATOMIC_MOVE);
      System.err.printf("created sample tree %s: %,d directories, %,d files%n", tree,
          spec.directories(), spec.files());
    }
    Path policies = work.resolve("policies.yaml");
    if (!Files.exists(policies)) {
      Files.writeString(policies, """
          # The embedded default's policy: files of 64 KiB or more untouched for half a year
          # go from the fast pool to the slow one. min_age 0s: the sample tree was just
          # written, so every file's ctime is now (in production keep an hour or more).
          min_age: 0s
          default_pool: fast
          pools:
            - {name: fast, id: 1}
            - {name: slow, id: 2}
          rules:
            - name: cold
              from: fast
              to: slow
              condition: "size >= 64KiB AND mtime older than 180d"
          """);
    }
    Path file = work.resolve("tierdex.yaml");
    if (!Files.exists(file)) {
      Files.writeString(file, """
          # The embedded default's configuration (conf/tierdex.yaml documents every key).
          source:
            root: sample
            index: index
          state: state
          policies: policies.yaml
          plan:
            bins: 2
          """);
    }
    return file;
  }
}
