package io.tierdex.migrate;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The {@code beegfs} mover: BeeGFS 8's {@code beegfs entry migrate --from-pools=<src>
 * --pool=<dst> --verbose -}, once per pair of pools in the batch, the paths on stdin (one a
 * line; no argument list to outgrow). With {@code --verbose} the tool prints a row for every
 * path; each row's status becomes the file's outcome:
 *
 * <ul>
 *   <li>{@code migrated file}: MIGRATED.
 *   <li>{@code migration not needed}: SKIPPED_CHANGED. It means the file has no chunks on the
 *       source pool's targets, which is not the same as being on the target pool (it may be on
 *       a third pool), and the plan saw it on the source pool: its placement changed since.
 *       Recording it as MIGRATED would put a pool in the tier state that nobody checked.
 *   <li>{@code error}: FAILED with the tool's message, or VANISHED / SKIPPED_CHANGED if the
 *       file is now gone or no longer as planned ({@link SourceCheck}).
 *   <li>anything else ({@code migration not supported}, as for a name like the tool's own temp
 *       files; {@code migration needed} of a dry run; directory statuses; a background migration
 *       of {@code --rebalance}): FAILED, the status and message quoted.
 * </ul>
 *
 * A path with no row is FAILED: after exit 0 the tool left it out; after another exit code
 * (1: error, 2: some entries failed) the tool stopped early, as it does for a path it cannot
 * look up at all, and its error message is the reason. Files are checked against the plan
 * before the run, so a vanished path does not abort the run for the others.
 *
 * <p>The tool reads its global flags from {@code BEEGFS_*} variables too: the ones that change
 * what it prints ({@code --output}, {@code --columns}, {@code --page-size}) are unset for it.
 */
public final class BeegfsEntryMover implements BatchMover {
  public static final String DEFAULT_EXECUTABLE = "beegfs";
  /** Per run of the tool, which moves all of a batch's files between one pair of pools. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(6);
  private static final String NAME = "beegfs entry migrate";
  private static final List<String> OUTPUT_VARIABLES =
      List.of("BEEGFS_OUTPUT", "BEEGFS_COLUMNS", "BEEGFS_PAGE_SIZE");

  private final Tool tool;

  public BeegfsEntryMover() {
    this(DEFAULT_EXECUTABLE, DEFAULT_TIMEOUT);
  }

  /** Runs {@code executable} (a name on PATH or a path), killing it after {@code timeout}. */
  public BeegfsEntryMover(String executable, Duration timeout) {
    this(executable, timeout, System.getenv("PATH"));
  }

  /** As above, looking names up on {@code searchPath} instead of this process's PATH. */
  BeegfsEntryMover(String executable, Duration timeout, String searchPath) {
    this.tool = new Tool(executable, timeout, searchPath, NAME,
        "install the BeeGFS 8 client tools (the beegfs command) on this node");
  }

  @Override
  public List<MoveResult> move(List<PlannedFile> files) throws IOException {
    MoveResult[] results = new MoveResult[files.size()];
    List<Integer> admitted = Admission.admit(files, results, BeegfsEntryMover::refusal);
    Optional<Path> executable = admitted.isEmpty() ? Optional.empty() : tool.locate();
    if (!admitted.isEmpty() && executable.isEmpty()) {
      admitted.forEach(i -> results[i] = MoveResult.failed(files.get(i).path(), tool.missing()));
      return Arrays.asList(results);
    }
    Map<Pools, List<Integer>> byPools = admitted.stream().collect(Collectors.groupingBy(
        i -> new Pools(files.get(i).fromPoolId(), files.get(i).toPoolId()), LinkedHashMap::new,
        Collectors.toList()));
    for (Map.Entry<Pools, List<Integer>> e : byPools.entrySet()) {
      List<PlannedFile> group = new ArrayList<>();
      e.getValue().forEach(i -> group.add(files.get(i)));
      List<MoveResult> moved = migrate(executable.get(), e.getKey(), group);
      for (int k = 0; k < group.size(); k++) {
        results[e.getValue().get(k)] = moved.get(k);
      }
    }
    return Arrays.asList(results);
  }

  /** A source and a target pool: one run of the tool each. */
  private record Pools(int from, int to) {}

  /** Why the tool cannot take {@code path}: stdin and the table are both one path a line. */
  private static String refusal(String path) {
    String c = Admission.controlCharacter(path);
    return c == null ? null : "its path holds a control character (" + c + "), which "
        + NAME + " can neither read from stdin nor print in its table; use the copy mover";
  }

  private List<MoveResult> migrate(Path executable, Pools pools, List<PlannedFile> group)
      throws IOException {
    List<String> args = List.of("entry", "migrate", "--from-pools=" + pools.from(),
        "--pool=" + pools.to(), "--verbose", "-");
    StringBuilder stdin = new StringBuilder();
    group.forEach(f -> stdin.append(f.path()).append('\n'));
    ToolProcess.Output out;
    try {
      out = ToolProcess.run(executable, args, OUTPUT_VARIABLES, stdin.toString(),
          tool.timeout());
    } catch (InterruptedIOException e) {
      throw e;
    } catch (IOException e) {
      String reason = tool.cannotRun(e.getMessage());
      return group.stream().map(f -> MoveResult.failed(f.path(), reason)).toList();
    }
    EntryMigrateOutput table = EntryMigrateOutput.parse(out.stdout(),
        group.stream().map(PlannedFile::path).toList());
    String missing = missingReason(out, table);
    List<MoveResult> results = new ArrayList<>(group.size());
    for (PlannedFile f : group) {
      EntryMigrateOutput.Row row = table.row(f.path());
      results.add(row == null ? SourceCheck.afterFailure(f, NAME, missing) : result(f, row));
    }
    return results;
  }

  private static MoveResult result(PlannedFile f, EntryMigrateOutput.Row row) {
    String said = row.message().isEmpty() ? "" : ": " + row.message();
    return switch (row.status()) {
      case "migrated file" -> MoveResult.migrated(f.path());
      case "migration not needed" -> new MoveResult(f.path(), MoveOutcome.SKIPPED_CHANGED,
          "not on pool " + f.from() + " any more: " + NAME + " found none of its chunks on that"
          + " pool's targets (migration not needed); left where it is");
      case "error" -> SourceCheck.afterFailure(f, NAME, NAME + ": " + (row.message().isEmpty()
          ? "error, with no message" : row.message()));
      default -> MoveResult.failed(f.path(), NAME + " reported '" + row.status() + "'" + said
          + ", not 'migrated file'");
    };
  }

  /** The reason for files the run printed no row for. */
  private String missingReason(ToolProcess.Output out, EntryMigrateOutput table) {
    if (out.timedOut()) {
      return "timed out after " + tool.timeoutText() + "; " + NAME + " was killed before it"
          + " reported on this file";
    }
    String strays = table.strays().isEmpty() ? "" : "; it printed " + table.strays().size()
        + " line(s) naming no file of the batch, the first: '" + table.strays().get(0) + "'";
    if (out.exitCode() == 0) {
      return NAME + " exited 0 without reporting on this file" + strays;
    }
    return NAME + " stopped (exit " + out.exitCode() + ") before reporting on this file: "
        + Stderr.gist(out.stderr()) + strays;
  }
}
