package io.tierdex.report;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.tierdex.snapshot.RunId;
import java.util.List;

/**
 * {@code runs/<id>/report.json}: what one nightly run did, in figures small enough to read
 * whole. {@link ReportBuilder} computes it, {@link ReportHtml} and {@link ReportText} show
 * it, and later runs read its {@link #history} figures back. Sections a run did not reach
 * (no diff, no plan) are absent.
 *
 * @param format {@value #FORMAT}; a reader refuses other versions
 * @param mode {@code test}, {@code defer} or {@code yes}: how far the run went
 * @param started the run's start (ISO-8601, UTC), from its run id
 * @param finished when the report was made
 * @param committed whether the run committed its results
 * @param sourceRoots the directories the snapshot describes
 * @param summary the run in one line
 * @param phases wall time per phase, in run order
 * @param inputs the runs the figures come from
 * @param changes what changed since the previous snapshot, if the run diffed
 * @param moves what the run moved, or planned to move
 * @param sizes files and bytes moved and remaining on the fast pools, by size
 * @param ages the same by age of the last modification (mtime) at the run's start
 * @param topUsers the owners with the most bytes moved (or planned)
 * @param topDirectories the directories with the most bytes moved (or planned)
 * @param throughput files and bytes finished per time bucket of the move stage
 * @param history recent runs' figures, oldest first, this run last
 * @param notes what could not be reported, and why
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Report(@JsonProperty("tierdex_report") int format, String run, String mode,
    String started, String finished, boolean committed, int exitCode,
    List<String> sourceRoots, String summary, List<Phase> phases, Inputs inputs,
    Changes changes, Moves moves, Distribution sizes, Distribution ages,
    List<UserBytes> topUsers, List<DirectoryBytes> topDirectories, Throughput throughput,
    List<HistoryEntry> history, List<String> notes) {
  public static final int FORMAT = 1;

  /** Lists a report always has are empty rather than missing, in a hand-edited file too. */
  public Report {
    sourceRoots = sourceRoots == null ? List.of() : sourceRoots;
    phases = phases == null ? List.of() : phases;
    history = history == null ? List.of() : history;
    notes = notes == null ? List.of() : notes;
  }

  @JsonIgnore
  public RunId runId() {
    return new RunId(run);
  }

  /** One phase of the run and its wall time. */
  public record Phase(String name, double seconds) {}

  /** The runs (and policy file) this report was computed from; null where there was none. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Inputs(String snapshot, String diff, String plan, String policies) {}

  /** The diff's entries and bytes per change kind, from {@code old} to {@code current}. */
  public record Changes(String old, String current, List<KindTotals> kinds) {}

  public record KindTotals(String kind, long entries, long bytes) {}

  /**
   * Files and bytes per outcome and per rule.
   *
   * @param basis {@code ledger} (the migration's outcomes) or {@code planned} (no migration
   *     ran: the plan's files, outcome {@code PLANNED})
   * @param outcomes every outcome, in the ledger's order
   * @param rules per rule and outcome, rules in policy order
   * @param movedFiles files MIGRATED (0 when planned only)
   * @param failedFiles files FAILED
   * @param moveSeconds the move stage's wall time, from {@code migration.json}
   * @param fastPools what remains on the plan's source pools after the moves
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Moves(String basis, List<OutcomeTotals> outcomes, List<RuleTotals> rules,
      long movedFiles, long movedBytes, long failedFiles, Double moveSeconds,
      FastPools fastPools) {}

  public record OutcomeTotals(String outcome, long files, long bytes) {}

  public record RuleTotals(String rule, String outcome, long files, long bytes) {}

  /** Regular files on the plan's source pools ({@code pools}) once this run's moves are done. */
  public record FastPools(List<String> pools, long files, long bytes) {}

  /**
   * A fixed log-scale histogram of moved and remaining files.
   *
   * @param measure {@code size} (bytes) or {@code age} (seconds since mtime)
   * @param moved {@code MIGRATED} files, or the planned ones when nothing was migrated
   */
  public record Distribution(String measure, String moved, List<Bucket> buckets) {}

  /** {@code [lower, upper)}; {@code upper} is null for the last, open bucket. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Bucket(String label, long lower, Long upper, long movedFiles, long movedBytes,
      long remainingFiles, long remainingBytes) {}

  /** An owner: {@code name} is null when the uid has none here (or no snapshot row). */
  public record UserBytes(Long uid, String name, long files, long bytes) {}

  public record DirectoryBytes(String dir, long files, long bytes) {}

  /**
   * MIGRATED files and their bytes by the time their move ended, in buckets of
   * {@code bucketSeconds} from {@code start}; buckets without a move are listed with zeros.
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Throughput(String start, long bucketSeconds, List<TimeBucket> buckets) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record TimeBucket(long offsetSeconds, long files, long bytes) {}

  /** One run's figures in the history chart. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record HistoryEntry(String run, String date, String mode, long movedFiles,
      long movedBytes, long failedFiles, double seconds) {}
}
