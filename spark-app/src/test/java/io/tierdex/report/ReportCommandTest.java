package io.tierdex.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierdex.snapshot.RunId;
import io.tierdex.testing.TierdexCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tierdex report}: the tables of a real report.json, and the errors without one. */
class ReportCommandTest {
  static NightlyRuns runs;
  static Report yes;

  @TempDir
  Path tmp;

  @BeforeAll
  static void build() throws Exception {
    runs = NightlyRuns.get();
    yes = new RunReports(runs.dir).read(runs.yes);
  }

  @Test
  void printsTheNewestReportAsTables() {
    TierdexCli.Run run = TierdexCli.run("report", "--state", runs.state);
    assertEquals(0, run.exit(), run.describe());
    String out = run.out();
    assertTrue(out.startsWith("tierdex report of run " + runs.yes + "\n  " + yes.summary()
        + "\n"), run.describe());
    Report.OutcomeTotals migrated = yes.moves().outcomes().get(0);
    assertTrue(Pattern.compile("(?m)^  MIGRATED +" + String.format("%,d", migrated.files())
        + " +" + Pattern.quote(Quantities.bytes(migrated.bytes())) + "$").matcher(out).find(),
        "the MIGRATED row: " + run.describe());
    assertTrue(Pattern.compile("(?m)^  VANISHED +1 ").matcher(out).find(), run.describe());
    assertTrue(Pattern.compile("(?m)^  migrate +\\d+\\.\\d$").matcher(out).find(),
        "the phase table: " + run.describe());
    assertTrue(Pattern.compile("(?m)^  RENAMED +1 ").matcher(out).find(), run.describe());
    assertTrue(Pattern.compile("(?m)^  " + runs.defer + " +defer +0 ").matcher(out).find(),
        "the history names the earlier run: " + run.describe());
    assertTrue(Pattern.compile("(?m)^  " + runs.yes + " +yes ").matcher(out).find(),
        run.describe());
    assertTrue(out.contains("remaining on fast: " + String.format("%,d",
        yes.moves().fastPools().files()) + " files"), run.describe());
    assertTrue(out.contains("charts: " + runs.yesHtml), run.describe());
  }

  @Test
  void printsTheRunItIsGiven() {
    TierdexCli.Run run = TierdexCli.run("report", runs.defer, "--state", runs.state);
    assertEquals(0, run.exit(), run.describe());
    assertTrue(run.out().startsWith("tierdex report of run " + runs.defer), run.describe());
    assertTrue(run.out().contains("Moves (planned only: nothing was migrated)"),
        run.describe());
    assertTrue(Pattern.compile("(?m)^  PLANNED +\\d").matcher(run.out()).find(),
        run.describe());
  }

  @Test
  void saysWhereTheReportShouldBeWhenThereIsNone() throws Exception {
    TierdexCli.Run none = TierdexCli.run("report", "--state", tmp.resolve("empty"));
    assertEquals(1, none.exit(), none.describe());
    assertTrue(none.err().contains("has a report.json; tierdex run writes"), none.describe());

    // A committed run that is not a nightly run has no report.
    TierdexCli.Run plan = TierdexCli.run("report", runs.planB, "--state", runs.state);
    assertEquals(1, plan.exit(), plan.describe());
    assertTrue(plan.err().contains("runs/" + runs.planB + "/report.json does not exist"),
        plan.describe());

    TierdexCli.Run bad = TierdexCli.run("report", "yesterday", "--state", runs.state);
    assertEquals(2, bad.exit(), bad.describe());
    assertTrue(bad.err().contains("'yesterday' is not a run id"), bad.describe());
  }

  @Test
  void namesAReportThatDoesNotReadAndTheFix() throws Exception {
    RunId id = RunId.startingAt(Instant.parse("2026-01-02T03:04:05Z"));
    Path file = tmp.resolve("state/runs").resolve(id.value()).resolve("report.json");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "{\"tierdex_report\": 1, \"run\": ");
    TierdexCli.Run cut = TierdexCli.run("report", "--state", tmp.resolve("state"));
    assertEquals(1, cut.exit(), cut.describe());
    assertTrue(cut.err().contains(file.toString()), "names the file: " + cut.describe());
    assertTrue(cut.err().contains("restore it, or delete it"), cut.describe());

    Files.writeString(file, "{\"tierdex_report\": 2, \"run\": \"" + id + "\"}");
    TierdexCli.Run newer = TierdexCli.run("report", id, "--state", tmp.resolve("state"));
    assertEquals(1, newer.exit(), newer.describe());
    assertTrue(newer.err().contains("its tierdex_report is 2"), newer.describe());
  }
}
