package io.tierdex.migrate;

import static io.tierdex.migrate.MoveOutcome.FAILED;
import static io.tierdex.migrate.MoveOutcome.SKIPPED_CHANGED;
import static io.tierdex.migrate.MoveOutcome.VANISHED;
import static io.tierdex.migrate.StandIn.migrated;
import static io.tierdex.migrate.StandIn.plan;
import static io.tierdex.migrate.StandIn.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The BeeGFS 7 mover against a stand-in {@code beegfs-ctl --migrate}. */
class BeegfsCtlMoverTest {
  /**
   * {@code beegfs-ctl --migrate} on one file: the arguments the mover must give (anything else
   * is an "Invalid argument", exit 1), {@code Successfully migrated: <path>} on stdout, errors
   * on stderr with exit 0 for a failed file and exit 3 for a runtime error.
   */
  static final String BEEGFS_CTL = """
      #!/bin/bash
      CALLS='@CALLS@'
      invalid() {
        echo "Invalid argument: $1" >&2
        echo 'Use "--help" as argument to show usage information.' >&2
        exit 1
      }
      # A second path is left over as an invalid argument, as beegfs-ctl reports it.
      [ $# -eq 5 ] || invalid "${6:-$*}"
      [ "$1" = --migrate ] || invalid "$1"
      [ "$2" = --storagepoolid=1 ] || invalid "$2"
      [ "$3" = --destinationpoolid=2 ] || invalid "$3"
      [ "$4" = --verbose ] || invalid "$4"
      f="$5"
      printf '%s\\n' "$f" >> "$CALLS"
      if [ ! -e "$f" ]; then
        echo "Failed to stat given search path: No such file or directory" >&2
        exit 3
      fi
      case "$f" in
        *on-target*)
          echo "Given file is not located on the given target." >&2
          exit 3 ;;
        *hard-linked*)
          echo "Cannot migrate file with hard link (yet): $f" >&2
          echo "Failed to migrate file: $f" >&2 ;;
        *changes*)
          echo more >> "$f"
          echo "File size changed during restripe ($f): Success" >&2
          echo "Failed to migrate file: $f" >&2 ;;
        *vanishes*)
          rm -f "$f"
          echo "Failed to migrate file: $f" >&2 ;;
        *unrecoverable*)
          echo "Getting entry information failed for path: $f" >&2
          echo "Aborting after unrecoverable error." >&2
          exit 3 ;;
        *no-such-pool*)
          echo "Error: The destination storage pool with id=2 does not exist." >&2 ;;
        *mgmtd-down*)
          # BEEGFS.md gives only the exit code of an init error, not its words.
          echo "Unable to reach the management daemon." >&2
          exit 2 ;;
        *hangs*)
          sleep 600 ;;
        *)
          echo "Successfully migrated: $f" ;;
      esac
      exit 0
      """;
  private static final String CTL = "beegfs-ctl --migrate";

  @TempDir
  Path dir;
  Path data;
  Path bin;
  Path calls;

  @BeforeEach
  void setUp() throws Exception {
    data = dir.resolve("data");
    bin = Files.createDirectories(dir.resolve("bin"));
    calls = dir.resolve("calls.log");
  }

  BeegfsCtlMover mover(Duration timeout) throws Exception {
    Path exe = StandIn.write(bin, "beegfs-ctl",
        BEEGFS_CTL.replace("@CALLS@", calls.toString()));
    return new BeegfsCtlMover(exe.toString(), timeout);
  }

  BeegfsCtlMover mover() throws Exception {
    return mover(Duration.ofSeconds(60));
  }

  @Test
  void oneRunPerFileWithOddNames() throws Exception {
    List<PlannedFile> files = List.of(plan(data, "plain.dat", "hello"),
        plan(data, "with space.dat", "hello"), plan(data, "two  spaces.dat", "hello"),
        plan(data, "résumé ü/日本語 ファイル.dat", "hello"),
        plan(data, "'quoted' \"double\" $HOME *.dat", "hello"));

    assertEquals(files.stream().map(StandIn::migrated).toList(), mover().move(files));
    assertEquals(files.stream().map(PlannedFile::path).toList(), StandIn.calls(calls));
  }

  @Test
  void notOnTheSourcePoolIsLeftAsChanged() throws Exception {
    PlannedFile f = plan(data, "on-target.dat", "hello");

    assertEquals(List.of(result(f, SKIPPED_CHANGED, "not on pool fast (id 1) any more: "
        + CTL + " says 'Given file is not located on the given target.'; left where it is")),
        mover().move(List.of(f)));
  }

  @Test
  void aFailedFileExitsZeroAndIsFailedWithTheCause() throws Exception {
    PlannedFile ok = plan(data, "ok.dat", "hello");
    PlannedFile linked = plan(data, "hard-linked.dat", "hello");
    PlannedFile written = plan(data, "changes.dat", "hello");
    PlannedFile deleted = plan(data, "vanishes.dat", "hello");

    List<MoveResult> r = mover().move(List.of(ok, linked, written, deleted));

    assertEquals(migrated(ok), r.get(0));
    assertEquals(result(linked, FAILED, CTL + ": Cannot migrate file with hard link (yet): "
        + linked.path()), r.get(1));
    assertEquals(SKIPPED_CHANGED, r.get(2).outcome());
    assertTrue(r.get(2).reason().startsWith("changed while beegfs-ctl --migrate ran (size 5 ->"
        + " 10"), r.get(2).reason());
    assertTrue(r.get(2).reason().endsWith("); " + CTL + ": File size changed during restripe ("
        + written.path() + "): Success"), r.get(2).reason());
    assertEquals(result(deleted, VANISHED, "no longer exists; " + CTL + ": Failed to migrate"
        + " file: " + deleted.path()), r.get(3));
  }

  @Test
  void runtimeErrorsAndSilence() throws Exception {
    PlannedFile broken = plan(data, "unrecoverable.dat", "hello");
    PlannedFile silent = plan(data, "no-such-pool.dat", "hello");
    PlannedFile ok = plan(data, "ok.dat", "hello");

    assertEquals(List.of(result(broken, FAILED, CTL + " failed (exit 3): Getting entry"
        + " information failed for path: " + broken.path() + " / Aborting after unrecoverable"
        + " error."), result(silent, FAILED, CTL + " exited 0 but reported neither success nor"
        + " failure: Error: The destination storage pool with id=2 does not exist."),
        migrated(ok)), mover().move(List.of(broken, silent, ok)));
  }

  @Test
  void anInitErrorStopsTheBatch() throws Exception {
    PlannedFile down = plan(data, "mgmtd-down.dat", "hello");
    PlannedFile next = plan(data, "next.dat", "hello");

    assertEquals(List.of(result(down, FAILED, CTL + " failed (exit 2): Unable to reach the"
        + " management daemon."), result(next, FAILED, "not tried: " + CTL + " could not"
        + " initialise (exit 2): Unable to reach the management daemon.")),
        mover().move(List.of(down, next)));
    assertEquals(List.of(down.path()), StandIn.calls(calls));
  }

  @Test
  void aHungToolIsKilledAndTheRestNotTried() throws Exception {
    PlannedFile hung = plan(data, "hangs.dat", "hello");
    PlannedFile next = plan(data, "next.dat", "hello");

    long start = System.nanoTime();
    List<MoveResult> r = mover(Duration.ofSeconds(1)).move(List.of(hung, next));
    long seconds = (System.nanoTime() - start) / 1_000_000_000L;

    assertEquals(List.of(result(hung, FAILED, "timed out after 1 s; " + CTL + " was killed"),
        result(next, FAILED, "not tried: " + CTL + " timed out after 1 s on " + hung.path()
        + " before it")), r);
    assertTrue(seconds < 8, seconds + " s");
  }

  @Test
  void pathsBeegfsCtlWouldReadAsAnotherAreRefused() throws Exception {
    PlannedFile equals = plan(data, "a=b.dat", "hello");
    PlannedFile trailing = plan(data, "trailing ", "hello");
    PlannedFile newline = plan(data, "new\nline", "hello");
    PlannedFile ok = plan(data, "ok.dat", "hello");

    assertEquals(List.of(result(equals, FAILED, "its path holds '=', where beegfs-ctl splits each"
        + " argument, so it would migrate another path; use the beegfs mover (BeeGFS 8) or the"
        + " copy mover"), result(trailing, FAILED, "its path ends with white space, which"
        + " beegfs-ctl trims, so it would migrate another path; use the beegfs mover (BeeGFS 8)"
        + " or the copy mover"), result(newline, FAILED, "its path holds a control character"
        + " (\\n), which beegfs-ctl --migrate cannot report on one line; use the copy mover"),
        migrated(ok)), mover().move(List.of(equals, trailing, newline, ok)));
    assertEquals(List.of(ok.path()), StandIn.calls(calls));
  }

  @Test
  void filesNoLongerAsPlannedAreNotRun() throws Exception {
    PlannedFile gone = plan(data, "gone.dat", "hello");
    Files.delete(Path.of(gone.path()));
    PlannedFile nowADir = plan(data, "now a dir", "hello");
    Files.delete(Path.of(nowADir.path()));
    Files.createDirectory(Path.of(nowADir.path()));

    // A directory given to beegfs-ctl --migrate would be migrated with all it holds.
    assertEquals(List.of(result(gone, VANISHED, "no longer exists"), result(nowADir,
        SKIPPED_CHANGED, "changed since it was planned (is a directory now); not moved")),
        mover().move(List.of(gone, nowADir)));
    assertEquals(List.of(), StandIn.calls(calls));
  }

  @Test
  void aCommandLineTheToolRejectsFailsWithItsError() throws Exception {
    PlannedFile fromPool3 = StandIn.planned(Path.of(plan(data, "a.dat", "hello").path()), 3, 2);

    assertEquals(List.of(result(fromPool3, FAILED, CTL + " rejected its arguments (exit 1):"
        + " Invalid argument: --storagepoolid=3 / Use \"--help\" as argument to show usage"
        + " information.")), mover().move(List.of(fromPool3)));
  }

  @Test
  void aMissingExecutableNamesItAndTheFix() throws Exception {
    PlannedFile a = plan(data, "a.dat", "hello");
    PlannedFile b = plan(data, "b.dat", "hello");
    String why = "cannot run beegfs-ctl --migrate (beegfs-ctl): not found on PATH ("
        + dir.resolve("nowhere") + "); install the BeeGFS 7 utilities (beegfs-ctl, package"
        + " beegfs-utils) on this node, or choose the copy mover";

    assertEquals(List.of(result(a, FAILED, why), result(b, FAILED, why)),
        new BeegfsCtlMover("beegfs-ctl", Duration.ofSeconds(60),
            dir.resolve("nowhere").toString()).move(List.of(a, b)));
  }

  @Test
  void theDefaultNameIsLookedUpOnPath() throws Exception {
    PlannedFile a = plan(data, "a.dat", "hello");
    mover();

    BeegfsCtlMover byName = new BeegfsCtlMover(BeegfsCtlMover.DEFAULT_EXECUTABLE,
        Duration.ofSeconds(60), dir.resolve("nowhere") + ":" + bin);
    assertEquals(List.of(migrated(a)), byName.move(List.of(a)));
  }

  @Test
  void aHundredFilesOneAfterAnother() throws Exception {
    List<PlannedFile> files = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      files.add(plan(data, "batch/file " + i + " é.dat", "x"));
    }

    assertEquals(files.stream().map(StandIn::migrated).toList(), mover().move(files));
    assertEquals(files.stream().map(PlannedFile::path).toList(), StandIn.calls(calls));
  }
}
