package io.tierdex.report;

import io.tierdex.snapshot.RunId;
import io.tierdex.snapshot.StateDir;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the nightly run tells the report: its own run id, how it went, and the runs its
 * stages wrote (each committed with its manifest), so the report reads their outputs.
 *
 * @param run the nightly run; the report goes to {@code runs/<run>/}
 * @param mode {@code test} (plan only, report), {@code defer} (plan, migrate later) or
 *     {@code yes} (plan and migrate)
 * @param committed whether the run committed its results
 * @param exitCode the run's exit code (0 ok, 1 failed)
 * @param phases the run's phases and their wall times, in order
 * @param snapshot the snapshot run, or null if the run did not get that far
 * @param diff the diff run, or null (first run, or no diff)
 * @param plan the plan run, or null
 * @param migrated whether the plan was migrated (its ledger and migration.json exist)
 * @param history how many runs the history shows, this one included (0: none)
 */
public record ReportInputs(StateDir state, RunId run, String mode, boolean committed,
    int exitCode, List<Report.Phase> phases, RunId snapshot, RunId diff, RunId plan,
    boolean migrated, int history) {
  public static final Set<String> MODES = Set.of("test", "defer", "yes");

  public ReportInputs {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(run, "run");
    if (!MODES.contains(mode)) {
      throw new IllegalArgumentException("report mode '" + mode + "' is not test, defer or yes");
    }
    if (migrated && plan == null) {
      throw new IllegalArgumentException("a report of a migration needs the plan run it"
          + " migrated");
    }
    if (history < 0) {
      throw new IllegalArgumentException("report history length must be 0 or more, not "
          + history);
    }
    phases = List.copyOf(Objects.requireNonNull(phases, "phases"));
  }
}
