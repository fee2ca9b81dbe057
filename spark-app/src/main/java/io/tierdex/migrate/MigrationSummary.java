package io.tierdex.migrate;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * {@code runs/<plan>/migration.json}, written last: the plan was migrated, and how it went.
 *
 * @param outcomes files and bytes per outcome, all outcomes listed
 * @param rules per rule, files and bytes per outcome
 * @param seconds wall time of the move stage
 * @param bytesPerSecond bytes moved per second of that stage
 * @param failures up to ten FAILED files with their reasons
 * @param tierState rows recorded in {@code tiering/}
 * @param writeBack index rows updated, and the problems met
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MigrationSummary(String plan, String started, String finished, String mover,
    Map<String, Totals> outcomes, Map<String, Map<String, Totals>> rules, double seconds,
    double bytesPerSecond, List<Failure> failures, long tierState, WriteBack writeBack,
    List<String> executors) {

  public record Totals(long files, long bytes) {}

  public record Failure(String path, String reason) {}

  public record WriteBack(long directories, long rows, List<String> problems) {}

  public long failed() {
    Totals t = outcomes.get(MoveOutcome.FAILED.name());
    return t == null ? 0 : t.files();
  }
}
