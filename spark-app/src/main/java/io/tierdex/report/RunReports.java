package io.tierdex.report;

import io.tierdex.snapshot.RunId;
import io.tierdex.snapshot.StateDir;
import io.tierdex.snapshot.StateException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** The {@code runs/<id>/report.json} files of a state directory. */
public final class RunReports {
  public static final String JSON = "report.json";
  public static final String HTML = "report.html";

  private final StateDir state;

  public RunReports(StateDir state) {
    this.state = state;
  }

  /** Run {@code id}'s report; an error naming the file and the fix if it has none. */
  public Report read(RunId id) {
    return find(id).orElseThrow(() -> new StateException("no report for run " + id + ": "
        + state.output(id, JSON) + " does not exist. tierdex run writes one at the end of"
        + " each run; tierdex report without a run id shows the newest report"));
  }

  /** The newest run's report, of the runs that have one. */
  public Report newest() {
    List<RunId> runs = state.runs();
    for (int i = runs.size() - 1; i >= 0; i--) {
      Optional<Report> r = find(runs.get(i));
      if (r.isPresent()) {
        return r.get();
      }
    }
    throw new StateException("no run in " + state.root() + " has a " + JSON + "; tierdex run"
        + " writes runs/<id>/" + JSON + " at the end of each run (tierdex runs --all lists"
        + " the runs)");
  }

  /**
   * Up to {@code n} reports of runs before {@code run}, newest last. A report that does not
   * read is left out and named in {@code problems}: an old damaged file should not stop
   * tonight's report.
   */
  List<Report> before(RunId run, int n, List<String> problems) {
    List<Report> out = new ArrayList<>();
    List<RunId> runs = state.runs();
    for (int i = runs.size() - 1; i >= 0 && out.size() < n; i--) {
      RunId id = runs.get(i);
      if (id.compareTo(run) >= 0) {
        continue;
      }
      try {
        find(id).ifPresent(out::add);
      } catch (StateException e) {
        problems.add("history: " + e.getMessage());
      }
    }
    Collections.reverse(out);
    return out;
  }

  private Optional<Report> find(RunId id) {
    Optional<Report> r;
    try {
      r = state.readJson(id, JSON, Report.class);
    } catch (StateException e) {
      throw new StateException(e.getMessage() + ". It is not a readable tierdex report:"
          + " restore it, or delete it (tierdex run writes a new one with each run)", e);
    }
    if (r.isPresent() && r.get().format() != Report.FORMAT) {
      throw new StateException(state.output(id, JSON) + " is not a tierdex report of format "
          + Report.FORMAT + " (its tierdex_report is " + r.get().format() + "); read it with"
          + " the tierdex version that wrote it, or delete it");
    }
    return r;
  }
}
