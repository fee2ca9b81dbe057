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

/** The BeeGFS 8 mover against a stand-in {@code beegfs entry migrate}. */
class BeegfsEntryMoverTest {
  /**
   * {@code beegfs entry migrate}: the arguments the mover must give, paths on stdin, the table
   * of {@code --verbose} (header every 100 rows, paths relative to the mount), the summary on
   * stderr, exit 2 if some entries failed and 1 (after the rows so far) if a path cannot be
   * looked up. @PAIRS@ is a bash pattern of the accepted "--from-pools=<src> --pool=<dst>".
   */
  static final String BEEGFS = """
      #!/bin/bash
      MOUNT='@MOUNT@'
      CALLS='@CALLS@'
      usage() {
        echo "Error: $1" >&2
        echo "Usage:" >&2
        echo "  beegfs entry migrate [flags]" >&2
        exit 1
      }
      [ $# -eq 6 ] || usage "accepts 6 arguments, got $#: $*"
      [ "$1 $2" = "entry migrate" ] || usage "unknown command \\"$1 $2\\" for \\"beegfs\\""
      case "$3 $4" in @PAIRS@) ;; *) usage "unknown pools: $3 $4" ;; esac
      [ "$5" = --verbose ] || usage "unknown flag: $5"
      [ "$6" = - ] || usage "paths must come on stdin (-), got: $6"
      POOLS="$3 $4"
      row() { printf '%-40s  %-12s  %-20s  %-12s  %-14s  %-10s  %-15s  %s\\n' "$@"; }
      printed=0; migrated=0; errors=0; notneeded=0; n=0
      page() {
        if [ $((printed % 100)) -eq 0 ]; then
          [ $printed -gt 0 ] && echo
          row PATH ENTRY_ID STATUS ORIGINAL_IDS MIGRATION_TYPE SOURCE_IDS DESTINATION_IDS MESSAGE
        fi
        printed=$((printed + 1))
      }
      summary() {
        [ $((printed % 100)) -ne 0 ] && echo
        counts="MigrationStatusUnknown:0 MigrationErrors:$errors MigrationNotSupported:0"
        counts+=" MigrationSkippedDirs:0 MigrationNotNeeded:$notneeded MigrationNeeded:0"
        counts+=" MigratedFiles:$migrated MigrationUpdatedDirs:0 StartedRebalancingFiles:0"
        echo "Summary: {$counts StartedRebalancingChunks:0}" >&2
        echo "$POOLS $n" >> "$CALLS"
      }
      while IFS= read -r p; do
        n=$((n + 1))
        rel="${p#"$MOUNT"}"
        printf -v id '1-%08X-1' $n
        case "$p" in *deleted-by-someone*) rm -f "$p" ;; esac
        if [ ! -e "$p" ]; then
          summary
          echo "Error: unable to get entry info for $rel: lstat $p: no such file or directory" >&2
          exit 1
        fi
        case "$p" in
          *unmentioned*) ;;
          */.beegfs_tmp_migrate.*) page
            why="refusing to migrate file that appears to be a temporary file created by a"
            why+=" migration (has prefix: .beegfs_tmp_migrate.)"
            row "$rel" "$id" "migration not supported" "[]" "" "[]" "[]" "$why" ;;
          *on-target*) page; notneeded=$((notneeded + 1))
            row "$rel" "$id" "migration not needed" "[201 202]" target "[]" "[]" "" ;;
          *hard-linked*) page; errors=$((errors + 1))
            why="cannot migrate entries with hard links yet (number of links: 2)"
            row "$rel" "$id" error "[101 102]" target "[101 102]" "[]" "$why" ;;
          *changes*) echo more >> "$p"; page; errors=$((errors + 1))
            why="file size changed during migration"
            row "$rel" "$id" error "[101 102]" target "[101 102]" "[201 202]" "$why" ;;
          *vanishes*) rm -f "$p"; page; errors=$((errors + 1))
            why="lstat $p: no such file or directory"
            row "$rel" "$id" error "[101 102]" target "[101 102]" "[201 202]" "$why" ;;
          *) page; migrated=$((migrated + 1))
            row "$rel" "$id" "migrated file" "[101 102]" target "[101 102]" "[201 202]" "" ;;
        esac
      done
      summary
      [ $errors -eq 0 ] || exit 2
      """;
  /** Checks its arguments like {@link #BEEGFS}, then prints @BODY@. */
  static final String BEEGFS_THAT = """
      #!/bin/bash
      if [ "$*" != "entry migrate --from-pools=1 --pool=2 --verbose -" ]; then
        echo "Error: unexpected arguments: $*" >&2
        echo "Usage:" >&2
        echo "  beegfs entry migrate [flags]" >&2
        exit 1
      fi
      @BODY@
      """;
  private static final String ENTRY = "beegfs entry migrate";
  private static final String INSTALL =
      "install the BeeGFS 8 client tools (the beegfs command) on this node, or choose the copy"
      + " mover";

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

  BeegfsEntryMover mover(String pairs) throws Exception {
    Path exe = StandIn.write(bin, "beegfs", BEEGFS.replace("@MOUNT@", dir.toString())
        .replace("@CALLS@", calls.toString()).replace("@PAIRS@", pairs));
    return new BeegfsEntryMover(exe.toString(), Duration.ofSeconds(60));
  }

  BeegfsEntryMover mover() throws Exception {
    return mover("'--from-pools=1 --pool=2'");
  }

  BeegfsEntryMover moverThat(String body, Duration timeout) throws Exception {
    Path exe = StandIn.write(bin, "beegfs", BEEGFS_THAT.replace("@BODY@", body));
    return new BeegfsEntryMover(exe.toString(), timeout);
  }

  @Test
  void allMigratedInOneRunWithOddNames() throws Exception {
    List<PlannedFile> files = List.of(plan(data, "plain.dat", "hello"),
        plan(data, "with space.dat", "hello"), plan(data, "two  spaces.dat", "hello"),
        plan(data, "trailing space ", "hello"), plan(data, "résumé ü/日本語 ファイル.dat", "hello"),
        plan(data, "a=b 'quoted' \"double\" $HOME *.dat", "hello"));

    assertEquals(files.stream().map(StandIn::migrated).toList(), mover().move(files));
    assertEquals(List.of("--from-pools=1 --pool=2 6"), StandIn.calls(calls));
  }

  @Test
  void alreadyOffTheSourcePoolIsLeftAsChanged() throws Exception {
    PlannedFile moved = plan(data, "moved.dat", "hello");
    PlannedFile elsewhere = plan(data, "on-target.dat", "hello");

    assertEquals(List.of(migrated(moved), result(elsewhere, SKIPPED_CHANGED,
        "not on pool fast (id 1) any more: beegfs entry migrate found none of its chunks on that"
        + " pool's targets (migration not needed); left where it is")),
        mover().move(List.of(moved, elsewhere)));
  }

  @Test
  void partialSuccessExitTwo() throws Exception {
    PlannedFile ok = plan(data, "ok.dat", "hello");
    PlannedFile linked = plan(data, "hard-linked.dat", "hello");
    PlannedFile written = plan(data, "changes.dat", "hello");
    PlannedFile deleted = plan(data, "vanishes.dat", "hello");
    PlannedFile ok2 = plan(data, "ok 2.dat", "hello");
    PlannedFile tempName = plan(data, ".beegfs_tmp_migrate.x", "hello");

    List<MoveResult> r = mover().move(List.of(ok, linked, written, deleted, ok2, tempName));

    assertEquals(migrated(ok), r.get(0));
    assertEquals(result(linked, FAILED, ENTRY + ": cannot migrate entries with hard links yet"
        + " (number of links: 2)"), r.get(1));
    assertEquals(SKIPPED_CHANGED, r.get(2).outcome());
    assertTrue(r.get(2).reason().startsWith("changed while beegfs entry migrate ran (size 5 ->"
        + " 10"), r.get(2).reason());
    assertTrue(r.get(2).reason().endsWith("); beegfs entry migrate: file size changed during"
        + " migration"), r.get(2).reason());
    assertEquals(result(deleted, VANISHED, "no longer exists; " + ENTRY + ": lstat "
        + deleted.path() + ": no such file or directory"), r.get(3));
    assertEquals(migrated(ok2), r.get(4));
    assertEquals(result(tempName, FAILED, ENTRY + " reported 'migration not supported': refusing"
        + " to migrate file that appears to be a temporary file created by a migration (has"
        + " prefix: .beegfs_tmp_migrate.), not 'migrated file'"), r.get(5));
  }

  @Test
  void totalFailureExitOne() throws Exception {
    List<PlannedFile> files = List.of(plan(data, "a.dat", "hello"), plan(data, "b.dat", "hello"));
    BeegfsEntryMover m = moverThat("""
        cat > /dev/null
        echo "Error: unable to proceed without entity mappings:" \\
          "dial tcp 10.0.0.1:8010: connect: connection refused" >&2
        exit 1""", Duration.ofSeconds(60));

    String reason = ENTRY + " stopped (exit 1) before reporting on this file: Error: unable to"
        + " proceed without entity mappings: dial tcp 10.0.0.1:8010: connect: connection refused";
    assertEquals(List.of(result(files.get(0), FAILED, reason), result(files.get(1), FAILED,
        reason)), m.move(files));
  }

  @Test
  void aPathDeletedDuringTheRunStopsItAndOnlyTheRestFail() throws Exception {
    PlannedFile a = plan(data, "a.dat", "hello");
    PlannedFile b = plan(data, "b.dat", "hello");
    PlannedFile c = plan(data, "c deleted-by-someone.dat", "hello");
    PlannedFile d = plan(data, "d.dat", "hello");

    String error = ENTRY + " stopped (exit 1) before reporting on this file: Error: unable to get"
        + " entry info for /data/c deleted-by-someone.dat: lstat " + c.path() + ": no such file"
        + " or directory";
    assertEquals(List.of(migrated(a), migrated(b), result(c, VANISHED, "no longer exists; "
        + error), result(d, FAILED, error)), mover().move(List.of(a, b, c, d)));
  }

  @Test
  void aPathTheToolDoesNotMentionFails() throws Exception {
    PlannedFile a = plan(data, "a.dat", "hello");
    PlannedFile quiet = plan(data, "unmentioned.dat", "hello");

    assertEquals(List.of(migrated(a), result(quiet, FAILED, ENTRY + " exited 0 without reporting"
        + " on this file")), mover().move(List.of(a, quiet)));
  }

  @Test
  void aHungToolIsKilledAtTheTimeout() throws Exception {
    List<PlannedFile> files = List.of(plan(data, "a.dat", "hello"), plan(data, "b.dat", "hello"));
    BeegfsEntryMover m = moverThat("cat > /dev/null\nsleep 600", Duration.ofSeconds(1));

    long start = System.nanoTime();
    List<MoveResult> r = m.move(files);
    long seconds = (System.nanoTime() - start) / 1_000_000_000L;

    String reason = "timed out after 1 s; beegfs entry migrate was killed before it reported on"
        + " this file";
    assertEquals(List.of(result(files.get(0), FAILED, reason), result(files.get(1), FAILED,
        reason)), r);
    // The sleep it started was killed too: nothing held its output open.
    assertTrue(seconds < 8, seconds + " s");
  }

  @Test
  void aMissingExecutableNamesItAndTheFix() throws Exception {
    PlannedFile a = plan(data, "a.dat", "hello");
    String missing = dir.resolve("nowhere/beegfs").toString();

    assertEquals(List.of(result(a, FAILED, "cannot run beegfs entry migrate (" + missing + "): no"
        + " such file; " + INSTALL)),
        new BeegfsEntryMover(missing, Duration.ofSeconds(60)).move(List.of(a)));
    assertEquals(List.of(result(a, FAILED, "cannot run beegfs entry migrate (beegfs): not found"
        + " on PATH (" + dir.resolve("nowhere") + "); " + INSTALL)),
        new BeegfsEntryMover("beegfs", Duration.ofSeconds(60), dir.resolve("nowhere").toString())
            .move(List.of(a)));
  }

  @Test
  void theDefaultNameIsLookedUpOnPath() throws Exception {
    PlannedFile a = plan(data, "a.dat", "hello");
    mover();

    BeegfsEntryMover byName = new BeegfsEntryMover(BeegfsEntryMover.DEFAULT_EXECUTABLE,
        Duration.ofSeconds(60), dir.resolve("nowhere") + ":" + bin);
    assertEquals(List.of(migrated(a)), byName.move(List.of(a)));
  }

  @Test
  void filesNoLongerAsPlannedNeverReachTheTool() throws Exception {
    PlannedFile ok = plan(data, "ok.dat", "hello");
    PlannedFile gone = plan(data, "gone.dat", "hello");
    Files.delete(Path.of(gone.path()));
    PlannedFile grown = plan(data, "grown.dat", "hello");
    Files.writeString(Path.of(grown.path()), "hello again");
    PlannedFile nowADir = plan(data, "now a dir", "hello");
    Files.delete(Path.of(nowADir.path()));
    Files.createDirectory(Path.of(nowADir.path()));
    PlannedFile newline = plan(data, "new\nline.dat", "hello");
    PlannedFile relative = new PlannedFile("data/ok.dat", ok.inode(), 5, ok.mtime(), ok.ctime(),
        "fast", 1, "slow", 2);

    List<MoveResult> r = mover().move(List.of(ok, gone, grown, nowADir, newline, ok, relative));

    assertEquals(migrated(ok), r.get(0));
    assertEquals(result(gone, VANISHED, "no longer exists"), r.get(1));
    assertEquals(SKIPPED_CHANGED, r.get(2).outcome());
    assertTrue(r.get(2).reason().startsWith("changed since it was planned (size 5 -> 11"),
        r.get(2).reason());
    assertTrue(r.get(2).reason().endsWith("); not moved"), r.get(2).reason());
    assertEquals(result(nowADir, SKIPPED_CHANGED, "changed since it was planned (is a directory"
        + " now); not moved"), r.get(3));
    assertEquals(result(newline, FAILED, "its path holds a control character (\\n), which beegfs"
        + " entry migrate can neither read from stdin nor print in its table; use the copy"
        + " mover"), r.get(4));
    assertEquals(result(ok, FAILED, "listed again in this batch (first as file 1); a file is"
        + " given to the tool once"), r.get(5));
    assertEquals(result(relative, FAILED, "not an absolute path; the plan lists absolute paths"),
        r.get(6));
    assertEquals(List.of("--from-pools=1 --pool=2 1"), StandIn.calls(calls));
  }

  @Test
  void oneRunPerPairOfPoolsResultsInBatchOrder() throws Exception {
    PlannedFile a = plan(data, "a.dat", "hello");
    PlannedFile b = StandIn.planned(Path.of(plan(data, "b.dat", "hello").path()), 3, 2);
    PlannedFile c = plan(data, "c.dat", "hello");
    PlannedFile d = StandIn.planned(Path.of(plan(data, "d on-target.dat", "hello").path()), 3, 2);

    List<MoveResult> r = mover("'--from-pools=1 --pool=2'|'--from-pools=3 --pool=2'")
        .move(List.of(a, b, c, d));

    assertEquals(List.of(migrated(a), migrated(b), migrated(c), result(d, SKIPPED_CHANGED,
        "not on pool pool3 (id 3) any more: beegfs entry migrate found none of its chunks on that"
        + " pool's targets (migration not needed); left where it is")), r);
    assertEquals(List.of("--from-pools=1 --pool=2 2", "--from-pools=3 --pool=2 2"),
        StandIn.calls(calls));
  }

  @Test
  void aCommandLineTheToolRejectsFailsWithItsError() throws Exception {
    PlannedFile toPool5 = StandIn.planned(Path.of(plan(data, "a.dat", "hello").path()), 1, 5);

    assertEquals(List.of(result(toPool5, FAILED, ENTRY + " stopped (exit 1) before reporting on"
        + " this file: Error: unknown pools: --from-pools=1 --pool=5")),
        mover().move(List.of(toPool5)));
  }

  @Test
  void fiveThousandPathsGoOnStdinInOneRun() throws Exception {
    List<PlannedFile> files = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      files.add(plan(data, "batch/file " + i + " é.dat", "x"));
    }

    List<MoveResult> r = mover().move(files);

    assertEquals(files.stream().map(StandIn::migrated).toList(), r);
    assertEquals(List.of("--from-pools=1 --pool=2 5000"), StandIn.calls(calls));
  }

  @Test
  void nothingToMove() throws Exception {
    assertEquals(List.of(), mover().move(List.of()));
    assertEquals(List.of(), StandIn.calls(calls));
  }
}
