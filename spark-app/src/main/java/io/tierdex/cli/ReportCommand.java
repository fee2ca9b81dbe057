package io.tierdex.cli;

import io.tierdex.report.Report;
import io.tierdex.report.ReportText;
import io.tierdex.report.RunReports;
import io.tierdex.snapshot.RunId;
import io.tierdex.snapshot.StateDir;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Print a run's report as tables: the one-line summary, phases, changes, files and"
          + " bytes per outcome and rule, size and age distributions, top users and"
          + " directories, throughput and the run history. Reads runs/<RUN>/report.json,"
          + " which tierdex run writes with report.html beside it (the same figures as"
          + " charts, for a browser)."
    },
    footer = {"", "Examples:",
      "  tierdex report --state /srv/tierdex",
      "  tierdex report 20261122T061530123Z-3fa2 --state /srv/tierdex"})
final class ReportCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", paramLabel = "RUN",
      description = "The run (default: the newest run that has a report).")
  String run;

  @Option(names = "--state", paramLabel = "DIR", defaultValue = "${env:TIERDEX_STATE}",
      description = "The state directory (default: $TIERDEX_STATE).")
  String state;

  @Override
  public Integer call() {
    StateDir dir = StateDir.open(state, new Configuration());
    RunReports reports = new RunReports(dir);
    Report r = run == null ? reports.newest() : reports.read(new RunId(run));
    System.out.print(ReportText.of(r));
    System.out.println();
    System.out.println("charts: " + dir.output(r.runId(), RunReports.HTML));
    return Tierdex.OK;
  }
}
