package io.tierdex.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
  @TempDir java.nio.file.Path tmp;

  private static LedgerRow row(String path, String outcome, String newInode) {
    return new LedgerRow(path, "cold \"data\"", 3, "fast", "slow", outcome,
        outcome.equals("MIGRATED") ? null : "open by pid 42 (vi)\nsecond line", 4096,
        "crc32c:0a1b2c3d", "1234", newInode, 4096, 1_577_836_800L, 1_000L, 2_000L, "node-7",
        "3", 1);
  }

  @Test
  void everyAttemptsLinesAreReadBackAsWritten() throws Exception {
    FileSystem fs = FileSystem.getLocal(new Configuration());
    Path bin = Journal.binDir(new Path(tmp.toUri()), 3);
    LedgerRow moved = row("/mnt/beegfs/a/ü ñ.h5", "MIGRATED", "5678");
    LedgerRow open = row("/mnt/beegfs/a/b", "SKIPPED_OPEN", null);
    try (Journal first = Journal.create(fs, bin, "app-0-0-1")) {
      first.swap(moved.path(), "5678", moved.checksum());
      first.done(moved);
      first.swap("/mnt/beegfs/a/c", "9999", "crc32c:00000000"); // killed before its done line
    }
    try (Journal second = Journal.create(fs, bin, "app-0-1-2")) {
      second.done(open);
    }

    Journal.Past past = Journal.read(fs, bin);

    assertEquals(Map.of(moved.path(), moved, open.path(), open), past.done());
    assertEquals(Map.of("/mnt/beegfs/a/c", new Journal.Swap("9999", "crc32c:00000000")),
        past.swapping());
  }

  @Test
  void aTornLastLineIsIgnored() throws Exception {
    FileSystem fs = FileSystem.getLocal(new Configuration());
    Path bin = Journal.binDir(new Path(tmp.toUri()), 0);
    LedgerRow moved = row("/mnt/beegfs/x", "MIGRATED", "77");
    try (Journal j = Journal.create(fs, bin, "app-0-0-1")) {
      j.done(moved);
    }
    java.nio.file.Path file = tmp.resolve("bin-0").resolve("app-0-0-1.jsonl");
    Files.writeString(file, "{\"k\":\"done\",\"path\":\"/mnt/beegfs/y\",\"outc",
        StandardCharsets.UTF_8, StandardOpenOption.APPEND);

    assertEquals(Map.of(moved.path(), moved), Journal.read(fs, bin).done());
  }
}
