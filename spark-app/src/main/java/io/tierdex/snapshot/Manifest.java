package io.tierdex.snapshot;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * {@code runs/<id>/manifest.json}, written last: a run without one did not commit. It
 * says what the run produced, so listing runs or choosing the snapshots to diff reads
 * a few small files, never the Parquet.
 *
 * @param kind {@code snapshot}, {@code diff} or {@code plan}: the command that made it
 * @param snapshot the run's {@code snapshot/} output, or null
 * @param changes the run's {@code changes/} output, or null
 * @param plan the run's {@code plan/} output, or null
 * @param nightly what a {@code tierdex run} did (kind {@code run}), or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Manifest(int format, String run, String kind, String started, String finished,
    String tierdex, SnapshotInfo snapshot, ChangesInfo changes, PlanInfo plan,
    NightlyInfo nightly) {
  public static final int FORMAT = 1;

  /**
   * A snapshot: where it came from, how it is laid out, what it holds.
   *
   * @param index the index it was read from
   * @param source the file-system directory the index describes (paths start with it)
   * @param buckets Parquet files by hash of {@code path}, each sorted by {@code path}
   */
  public record SnapshotInfo(String index, String source, int buckets, long entries,
      long files, long links, long bytes) {}

  /**
   * A change set between two snapshots.
   *
   * @param old the older side: a run id, or an index path
   * @param current the newer side
   * @param kinds entries and bytes per change kind, UNCHANGED included
   * @param topDirectories the directories with the most changed entries
   */
  public record ChangesInfo(String old, String current, Map<String, Totals> kinds,
      List<DirectoryChanges> topDirectories) {}

  public record Totals(long entries, long bytes) {}

  /**
   * A migration plan.
   *
   * @param snapshot the snapshot run it was planned from
   * @param policies the policy file, and its SHA-256
   * @param bins how many bins the files were dealt into
   * @param rules what each rule matched and selected, in file order
   */
  public record PlanInfo(String snapshot, String policies, String policiesSha256, int bins,
      List<RulePlan> rules) {}

  /**
   * One rule of a plan: files matched (first match), then skipped (excluded, moved before
   * and unchanged since, changed within min_age, already on the target pool), then
   * selected after the limits and thresholds; {@code note} says why nothing was selected.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RulePlan(String name, String from, String to, long matched, long matchedBytes,
      long excluded, long migrated, long tooNew, long onTarget, long selected,
      long selectedBytes, String note) {}

  public record DirectoryChanges(String dir, long entries, long bytes) {}

  /**
   * A nightly run, {@code tierdex run}: the runs its stages made, and how it went. Also its
   * {@code progress.json} while it runs, so a rerun resumes at the first stage not done.
   *
   * @param mode test, defer or yes
   * @param runDate the night it is for (Airflow's ds), one committed run per date and config
   * @param snapshot, diff, plan the stage runs it made (diff null for the first snapshot)
   * @param migrated the plan was migrated (its runs/<plan>/migration.json exists)
   * @param phases seconds per stage, in order; a resumed stage counts its last attempt
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record NightlyInfo(String mode, String runDate, String config, String snapshot,
      String diff, String plan, boolean migrated, Integer exitCode, String summary,
      List<Phase> phases) {}

  public record Phase(String name, double seconds) {}

  public RunId runId() {
    return new RunId(run);
  }
}
