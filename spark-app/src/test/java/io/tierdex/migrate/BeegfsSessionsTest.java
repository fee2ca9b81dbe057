package io.tierdex.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The BeeGFS 8 open-file check against a stand-in that prints the real tool's output. */
class BeegfsSessionsTest {
  @TempDir
  Path dir;

  /** A stand-in beegfs: exact arguments or a usage error; session counts from the name. */
  private BeegfsSessions standIn() throws IOException {
    Path exe = StandIn.write(dir, "beegfs", String.join("\n",
        "#!/bin/bash",
        "if [ $# -ne 5 ] || [ \"$1 $2 $3 $4\" != 'entry info --verbose --retro' ]; then",
        "  echo \"Error: unknown flag or arguments: $*\" >&2; exit 1; fi",
        "p=$5",
        "[ -e \"$p\" ] || { echo \"Error: $p: entry not found\" >&2; exit 1; }",
        "r=0; w=0",
        "case \"$p\" in *reading*) r=2;; *ours*) r=1;; esac",
        "case \"$p\" in *writing*) w=1;; esac",
        "case \"$p\" in *seven*) echo 'Entry type: file'; exit 0;; esac",
        "cat <<EOF",
        "Entry type: file",
        "EntryID: 1-6705972F-1",
        "Stripe pattern details:",
        "+ Type: RAID0",
        "+ Chunksize: 512K",
        "+ Number of storage targets: desired: 2; actual: 2",
        "+ Storage targets:",
        "+ 101 @ node_storage_1 [ID: 1]",
        "+ 201 @ node_storage_2 [ID: 2]",
        "Chunk path: u0/0/r/root/1-6705972F-1",
        "Inlined inode: yes",
        "Dentry info:",
        "+ Path: 38/51/root",
        "+ Metadata node: node_meta_1 [ID: 1]",
        "Client Sessions",
        "+ Reading: $r",
        "+ Writing: $w",
        "EOF",
        ""));
    return new BeegfsSessions(exe.toString());
  }

  private String file(String name) throws IOException {
    return Files.writeString(dir.resolve(name), "x").toString();
  }

  @Test
  void closedFileHasNoSessions() throws IOException {
    assertNull(standIn().openBy(file("idle.dat"), 0));
  }

  @Test
  void readersAndWritersOnAnyClientAreReported() throws IOException {
    BeegfsSessions s = standIn();
    assertEquals("2 reading, 0 writing BeeGFS client sessions",
        s.openBy(file("reading.dat"), 0));
    assertEquals("1 reading, 0 writing BeeGFS client sessions",
        s.openBy(file("reading2.dat"), 1), "our own read session is not counted");
    assertEquals("0 reading, 1 writing BeeGFS client sessions",
        s.openBy(file("writing.dat"), 1));
  }

  /** The copy mover with --open-check beegfs: a file another client reads is left alone. */
  @Test
  void copyMoverLeavesAFileOpenOnAnotherClient() throws Exception {
    standIn();
    CopyMover mover = new CopyMover(new CopyMover.Options(dir.toString(), null, false, false,
        Checksum.CRC32C, java.time.Duration.ZERO, null, 0, dir.resolve("beegfs").toString()),
        java.time.Clock.systemUTC());
    PlannedFile busy = StandIn.plan(dir, "data/reading.dat", "some bytes");
    PlannedFile idle = StandIn.plan(dir, "data/ours.dat", "other bytes");
    MoveResult r = mover.move(busy, (f, t, c) -> { });
    assertEquals(MoveOutcome.SKIPPED_OPEN, r.outcome(), r.toString());
    assertTrue(r.reason().contains("1 reading"), r.reason()); // 2 sessions, one ours
    assertEquals("some bytes", Files.readString(Path.of(busy.path())));
    MoveResult moved = mover.move(idle, (f, t, c) -> { });
    assertEquals(MoveOutcome.MIGRATED, moved.outcome(), moved.toString());
    assertEquals("other bytes", Files.readString(Path.of(idle.path())));
  }

  @Test
  void withoutSessionCountsItCannotTell() throws IOException {
    IOException e = assertThrows(IOException.class, () -> standIn().openBy(file("seven.dat"), 0));
    assertTrue(e.getMessage().contains("no client session counts"), e.getMessage());
  }

  @Test
  void aFailingOrMissingToolIsAnErrorNotAClosedFile() throws IOException {
    IOException e = assertThrows(IOException.class,
        () -> standIn().openBy(dir.resolve("gone.dat").toString(), 0));
    assertTrue(e.getMessage().contains("exited 1") && e.getMessage().contains("not found"),
        e.getMessage());
    IOException missing = assertThrows(IOException.class,
        () -> new BeegfsSessions(dir.resolve("nope").toString()).openBy(file("a.dat"), 0));
    assertTrue(missing.getMessage().contains("cannot run beegfs entry info"),
        missing.getMessage());
  }
}
