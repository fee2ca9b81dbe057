package io.tierdex.cli;

import static io.tierdex.testing.IndexFiles.DB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierdex.sample.SampleTreeSpec;
import io.tierdex.testing.IndexFiles;
import io.tierdex.testing.TierdexCli;
import io.tierdex.testing.TierdexCli.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line as a user first meets it: help, version, mistakes, and {@code run}. */
class CliTest {
  @TempDir Path tmp;

  @Test
  void topLevelHelpListsTheCommands() {
    Run run = TierdexCli.run("--help");
    assertEquals(Tierdex.OK, run.exit(), run.describe());
    assertTrue(run.out().startsWith("Usage: tierdex "), run.describe());
    for (String command : List.of("index", "query", "snapshot", "diff", "runs", "report",
        "run", "sample", "bench", "help")) {
      assertTrue(run.out().contains("\n  " + command + " "),
          "help lists the command '" + command + "'\n" + run.describe());
    }
  }

  @ParameterizedTest(name = "tierdex {0} --help")
  @ValueSource(strings = {"index", "query", "snapshot", "diff", "runs", "report", "run",
      "sample", "bench", "help"})
  void everySubcommandHasHelp(String command) {
    Run run = TierdexCli.run(command, "--help");
    assertEquals(Tierdex.OK, run.exit(), run.describe());
    assertTrue(run.out().lines().anyMatch(l -> l.startsWith("Usage: tierdex " + command)),
        "a usage line for " + command + "\n" + run.describe());
    assertEquals("", run.err(), "help is not an error");
  }

  @Test
  void helpCommandShowsTheUsageOfAnotherCommand() {
    Run run = TierdexCli.run("help", "index");
    assertEquals(Tierdex.OK, run.exit(), run.describe());
    assertTrue(run.out().startsWith("Usage: tierdex index"), run.describe());
    assertTrue(run.out().contains("INDEX_PARENT"), run.describe());
  }

  @Test
  void versionPrintsTheProgramName() {
    Run run = TierdexCli.run("--version");
    assertEquals(Tierdex.OK, run.exit(), run.describe());
    assertTrue(run.out().startsWith("tierdex "), run.describe());
  }

  @Test
  void noCommandIsAUsageError() {
    Run run = TierdexCli.run();
    assertEquals(Tierdex.USAGE, run.exit(), run.describe());
    assertTrue(run.err().contains("name a command"), run.describe());
    assertTrue(run.err().contains("Usage: tierdex"), "the usage follows\n" + run.describe());
  }

  @Test
  void unknownCommandIsAUsageError() {
    Run run = TierdexCli.run("indx");
    assertEquals(Tierdex.USAGE, run.exit(), run.describe());
    assertTrue(run.err().contains("indx"), run.describe());
  }

  @Test
  void migrateNoFsyncAndNoWriteBackTurnThemOff() {
    MigrateCommand defaults = migrateOptions();
    assertTrue(defaults.fsync && defaults.writeBack, "fsync and write-back are on by default");
    MigrateCommand off = migrateOptions("--no-fsync", "--no-write-back");
    assertFalse(off.fsync, "--no-fsync");
    assertFalse(off.writeBack, "--no-write-back");
    MigrateCommand on = migrateOptions("--fsync", "--write-back");
    assertTrue(on.fsync && on.writeBack, "--fsync --write-back");
  }

  private static MigrateCommand migrateOptions(String... options) {
    List<String> args = new java.util.ArrayList<>(List.of("migrate", "--plan", "p"));
    args.addAll(List.of(options));
    return (MigrateCommand) new picocli.CommandLine(new Tierdex())
        .parseArgs(args.toArray(String[]::new)).subcommand().commandSpec().userObject();
  }

  /**
   * {@code tierdex run} with no configuration: a demo tree, indexed, snapshotted, planned and
   * its cold files moved; again, the night's run is found committed and the tree reused.
   */
  @Test
  void runDoesTheWholeJobOnTheDemoTreeThenFindsItDone() throws Exception {
    Path work = tmp.resolve("work");
    Path sample = work.resolve("sample");
    Path index = work.resolve("index/sample");
    SampleTreeSpec demo = SampleTreeSpec.preset("demo");
    long links = expectedSymlinks(demo);

    Run first = TierdexCli.run("run", "--workdir", work);

    assertEquals(Tierdex.OK, first.exit(), first.describe());
    Counts tree = Counts.of(sample);
    assertEquals(new Counts(demo.directories(), demo.files(), links), tree,
        "the demo tree: " + demo.describe());
    assertEquals(demo.directories(), IndexFiles.directoriesWithDb(index).size(),
        "one db.db per directory");
    assertEquals(demo.files() + links, entryRows(index), "one entries row per file and link");
    // The embedded policy: 64 KiB or more, modified over 180 days ago.
    long cold = 0;
    long oldest = java.time.Instant.now().minus(java.time.Duration.ofDays(180)).toEpochMilli();
    try (var walk = Files.walk(sample)) {
      for (Path f : (Iterable<Path>) walk::iterator) {
        if (Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)
            && Files.size(f) >= 64 * 1024
            && Files.getLastModifiedTime(f).toMillis() < oldest) {
          cold++;
        }
      }
    }
    assertTrue(cold > 100, "the demo tree has cold files to move: " + cold);
    String last = lastLine(first.out());
    assertTrue(last.startsWith("tierdex run ") && last.contains(" (yes): moved "
        + String.format("%,d", cold) + " files (") && last.contains(", 0 failed"),
        "the summary line\n" + first.describe());
    String html = last.replaceAll(".*; report: (file:)?", "");
    assertTrue(Files.isRegularFile(Path.of(html)), "the report page " + html);
    assertTrue(Files.isRegularFile(Path.of(html).resolveSibling("report.json")));

    Object treeIdentity = Files.readAttributes(sample, BasicFileAttributes.class).fileKey();
    Run second = TierdexCli.run("run", "--workdir", work);

    assertEquals(Tierdex.OK, second.exit(), second.describe());
    assertTrue(second.out().contains("committed already; nothing to do"), second.describe());
    assertEquals(last, lastLine(second.out()), "the same summary again");
    assertFalse(second.err().contains("created sample tree"), "the tree is reused\n"
        + second.describe());
    assertEquals(treeIdentity, Files.readAttributes(sample, BasicFileAttributes.class)
        .fileKey(), "the sample tree is the same directory as before");
    assertEquals(tree, Counts.of(sample));
  }

  private static String lastLine(String out) {
    String[] lines = out.strip().split("\n");
    return lines[lines.length - 1];
  }

  /** The generator links "latest" in every directory whose id is 3 modulo 7. */
  private static long expectedSymlinks(SampleTreeSpec spec) {
    if (spec.filesPerDir() == 0) {
      return 0;
    }
    long n = 0;
    for (long id = 0; id < spec.directories(); id++) {
      if (id % 7 == 3) {
        n++;
      }
    }
    return n;
  }

  private static long entryRows(Path indexRoot) throws Exception {
    long rows = 0;
    for (String dir : IndexFiles.directoriesWithDb(indexRoot)) {
      rows += IndexFiles.number(indexRoot.resolve(dir).resolve(DB), "SELECT COUNT(*) FROM entries");
    }
    return rows;
  }

  /** What a tree holds, counted without following links. */
  record Counts(long directories, long files, long symlinks) {
    static Counts of(Path root) throws IOException {
      long d = 0;
      long f = 0;
      long l = 0;
      try (Stream<Path> walk = Files.walk(root)) {
        for (Path p : (Iterable<Path>) walk::iterator) {
          if (Files.isSymbolicLink(p)) {
            l++;
          } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            d++;
          } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            f++;
          }
        }
      }
      return new Counts(d, f, l);
    }
  }
}
