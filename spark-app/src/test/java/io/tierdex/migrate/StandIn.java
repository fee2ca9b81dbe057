package io.tierdex.migrate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Stand-ins for the BeeGFS tools: bash scripts that check their arguments as strictly as the
 * movers must build them (anything else gets the real tool's usage error and a non-zero exit)
 * and print what the real tools print (BEEGFS.md). What happens to a file depends on a marker
 * in its name ({@code on-target}, {@code hard-linked}, {@code changes}, ...), so a test reads as
 * the list of files it plans.
 */
final class StandIn {
  private StandIn() {}

  /** Writes {@code script} as the executable {@code dir/name}. */
  static Path write(Path dir, String name, String script) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, script);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    return p;
  }

  /** A file under {@code dir} holding {@code content}, planned from pool fast (1) to slow (2). */
  static PlannedFile plan(Path dir, String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
    return planned(p, 1, 2);
  }

  /** {@code file} as the snapshot sees it now, planned from pool {@code from} to {@code to}. */
  static PlannedFile planned(Path file, int from, int to) throws IOException {
    Map<String, Object> a = Files.readAttributes(file, "unix:ino,size,lastModifiedTime,ctime",
        LinkOption.NOFOLLOW_LINKS);
    return new PlannedFile(file.toString(), String.valueOf(a.get("ino")), (Long) a.get("size"),
        ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.SECONDS),
        ((FileTime) a.get("ctime")).to(TimeUnit.SECONDS), pool(from), from, pool(to), to);
  }

  private static String pool(int id) {
    return switch (id) {
      case 1 -> "fast";
      case 2 -> "slow";
      default -> "pool" + id;
    };
  }

  static MoveResult migrated(PlannedFile f) {
    return MoveResult.migrated(f.path());
  }

  static MoveResult result(PlannedFile f, MoveOutcome outcome, String reason) {
    return new MoveResult(f.path(), outcome, reason);
  }

  /** The lines a stand-in logged, one per run (or per file for beegfs-ctl). */
  static List<String> calls(Path log) throws IOException {
    return Files.exists(log) ? Files.readAllLines(log) : List.of();
  }
}
