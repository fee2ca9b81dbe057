package io.tierdex.migrate;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The {@code beegfs-ctl} mover: BeeGFS 7's {@code beegfs-ctl --migrate --storagepoolid=<src>
 * --destinationpoolid=<dst> --verbose <file>}, once per file, in batch order: the tool takes
 * one path (a directory it walks), and per file is the only way to know which file an error
 * belongs to. What it prints becomes the outcome:
 *
 * <ul>
 *   <li>exit 0 and {@code Successfully migrated: <path>} on stdout: MIGRATED.
 *   <li>exit 0 and {@code Failed to migrate file: <path>} on stderr (a failed file does not
 *       change the exit code): FAILED with the lines before it, which say why; VANISHED or
 *       SKIPPED_CHANGED if the file is now gone or no longer as planned.
 *   <li>exit 3 with {@code Given file is not located on the given target.}: SKIPPED_CHANGED,
 *       for the reason the {@code beegfs} mover gives for "migration not needed".
 *   <li>any other ending (exit 0 with neither line, as when the destination pool does not
 *       exist; exit 1, bad arguments; exit 3, {@code Aborting after unrecoverable error.}):
 *       FAILED with its stderr.
 * </ul>
 *
 * Exit 2 (the tool could not initialise, e.g. no management daemon), a timeout or a tool that
 * cannot be started would fail the same way for every later file, so the rest of the batch is
 * FAILED without running it.
 *
 * <p>beegfs-ctl reads every argument as {@code key=value} split at the first {@code '='}, and
 * trims spaces around both: a path with a {@code '='} or with spaces at either end would name
 * another path (or a directory to migrate recursively), so such files are refused.
 */
public final class BeegfsCtlMover implements BatchMover {
  public static final String DEFAULT_EXECUTABLE = "beegfs-ctl";
  /** Per file: a multi-terabyte file at a few hundred MB/s. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(6);
  private static final String NAME = "beegfs-ctl --migrate";
  private static final String SUCCESS = "Successfully migrated: ";
  private static final String FAILURE = "Failed to migrate file: ";
  private static final String NOT_ON_SOURCE = "Given file is not located on the given target.";
  private static final int EXIT_BAD_ARGUMENTS = 1;
  private static final int EXIT_INIT_ERROR = 2;
  private static final int EXIT_RUNTIME_ERROR = 3;

  private final Tool tool;

  public BeegfsCtlMover() {
    this(DEFAULT_EXECUTABLE, DEFAULT_TIMEOUT);
  }

  /** Runs {@code executable} (a name on PATH or a path), killing it after {@code timeout}. */
  public BeegfsCtlMover(String executable, Duration timeout) {
    this(executable, timeout, System.getenv("PATH"));
  }

  /** As above, looking names up on {@code searchPath} instead of this process's PATH. */
  BeegfsCtlMover(String executable, Duration timeout, String searchPath) {
    this.tool = new Tool(executable, timeout, searchPath, NAME,
        "install the BeeGFS 7 utilities (beegfs-ctl, package beegfs-utils) on this node");
  }

  @Override
  public List<MoveResult> move(List<PlannedFile> files) throws IOException {
    MoveResult[] results = new MoveResult[files.size()];
    List<Integer> admitted = Admission.admit(files, results, BeegfsCtlMover::refusal);
    Optional<Path> executable = admitted.isEmpty() ? Optional.empty() : tool.locate();
    String stop = executable.isEmpty() ? tool.missing() : null;
    for (int i : admitted) {
      PlannedFile f = files.get(i);
      if (stop != null) {
        results[i] = MoveResult.failed(f.path(), stop);
        continue;
      }
      List<String> args = List.of("--migrate", "--storagepoolid=" + f.fromPoolId(),
          "--destinationpoolid=" + f.toPoolId(), "--verbose", f.path());
      ToolProcess.Output out;
      try {
        out = ToolProcess.run(executable.get(), args, List.of(), null, tool.timeout());
      } catch (InterruptedIOException e) {
        throw e;
      } catch (IOException e) {
        stop = tool.cannotRun(e.getMessage());
        results[i] = MoveResult.failed(f.path(), stop);
        continue;
      }
      results[i] = result(f, out);
      if (out.timedOut()) {
        stop = "not tried: " + NAME + " timed out after " + tool.timeoutText() + " on "
            + f.path() + " before it";
      } else if (out.exitCode() == EXIT_INIT_ERROR) {
        stop = "not tried: " + NAME + " could not initialise (exit 2): "
            + Stderr.gist(out.stderr());
      }
    }
    return Arrays.asList(results);
  }

  /** Why beegfs-ctl cannot take {@code path}, or null. */
  private static String refusal(String path) {
    String c = Admission.controlCharacter(path);
    if (c != null) {
      return "its path holds a control character (" + c + "), which " + NAME + " cannot report"
          + " on one line; use the copy mover";
    }
    if (path.contains("=")) {
      return "its path holds '=', where beegfs-ctl splits each argument, so it would migrate"
          + " another path; use the beegfs mover (BeeGFS 8) or the copy mover";
    }
    if (!path.equals(path.strip())) {
      return "its path ends with white space, which beegfs-ctl trims, so it would migrate another"
          + " path; use the beegfs mover (BeeGFS 8) or the copy mover";
    }
    return null;
  }

  private MoveResult result(PlannedFile f, ToolProcess.Output out) {
    if (out.timedOut()) {
      return SourceCheck.afterFailure(f, NAME, "timed out after " + tool.timeoutText() + "; "
          + NAME + " was killed");
    }
    String path = Admission.normalize(f.path());
    boolean migrated = out.stdout().stream().anyMatch(
        l -> l.startsWith(SUCCESS) && Admission.normalize(l.substring(SUCCESS.length()))
            .equals(path));
    boolean failed = out.stderr().stream().anyMatch(l -> l.startsWith(FAILURE));
    int exit = out.exitCode();
    if (exit == 0 && migrated && !failed) {
      return MoveResult.migrated(f.path());
    }
    if (exit == 0 && failed) {
      // The lines before "Failed to migrate file" say why; without them, that line is all.
      List<String> why = out.stderr().stream().filter(l -> !l.startsWith(FAILURE)).toList();
      return SourceCheck.afterFailure(f, NAME, NAME + ": "
          + Stderr.gist(why.isEmpty() ? out.stderr() : why));
    }
    if (exit == EXIT_RUNTIME_ERROR && out.stderr().contains(NOT_ON_SOURCE)) {
      MoveResult gone = SourceCheck.afterFailure(f, NAME, NAME + ": " + NOT_ON_SOURCE);
      return gone.outcome() != MoveOutcome.FAILED ? gone
          : new MoveResult(f.path(), MoveOutcome.SKIPPED_CHANGED, "not on pool " + f.from()
              + " any more: " + NAME + " says '" + NOT_ON_SOURCE + "'; left where it is");
    }
    String said = Stderr.gist(out.stderr());
    if (exit == 0) {
      List<String> printed = out.stdout().stream().filter(l -> l.startsWith(SUCCESS)).toList();
      said = printed.isEmpty() ? "exited 0 but reported neither success nor failure: " + said
          : "reported '" + printed.get(0) + "', which is not this file";
    } else if (exit == EXIT_BAD_ARGUMENTS) {
      said = "rejected its arguments (exit 1): " + said;
    } else {
      said = "failed (exit " + exit + "): " + said;
    }
    return SourceCheck.afterFailure(f, NAME, NAME + " " + said);
  }
}
