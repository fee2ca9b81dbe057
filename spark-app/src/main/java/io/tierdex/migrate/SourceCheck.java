package io.tierdex.migrate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Compares a planned file with what is at its path now (lstat): the inode, type, size, mtime
 * and ctime the official tools compare too, at the one-second resolution BeeGFS keeps.
 * Movers check before a file goes to the tool (a vanished path makes BeeGFS 8 abort its whole
 * run, and a directory at the path would be migrated recursively by BeeGFS 7), and again after
 * the tool failed on it, to tell a file that is gone or was changed from a real failure.
 */
final class SourceCheck {
  private SourceCheck() {}

  /** How the file differs from the plan: VANISHED, SKIPPED_CHANGED, or FAILED (cannot tell). */
  record Drift(MoveOutcome outcome, String what) {}

  /** The difference between {@code f} and its path now; null if there is none. */
  static Drift drift(PlannedFile f) {
    Map<String, Object> a;
    try {
      a = Files.readAttributes(Path.of(f.path()),
          "unix:ino,size,lastModifiedTime,ctime,isRegularFile,isDirectory,isSymbolicLink",
          LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return new Drift(MoveOutcome.VANISHED, "no longer exists");
    } catch (IOException | RuntimeException e) {
      return new Drift(MoveOutcome.FAILED, "cannot stat it: " + e.getMessage());
    }
    if (!(Boolean) a.get("isRegularFile")) {
      String type = (Boolean) a.get("isDirectory") ? "a directory"
          : (Boolean) a.get("isSymbolicLink") ? "a symbolic link" : "not a regular file";
      return new Drift(MoveOutcome.SKIPPED_CHANGED, "is " + type + " now");
    }
    List<String> changes = new ArrayList<>();
    String inode = String.valueOf(a.get("ino"));
    if (f.inode() != null && !f.inode().equals(inode)) {
      changes.add("inode " + f.inode() + " -> " + inode);
    }
    long size = (Long) a.get("size");
    if (size != f.size()) {
      changes.add("size " + f.size() + " -> " + size);
    }
    long mtime = seconds(a.get("lastModifiedTime"));
    if (mtime != f.mtime()) {
      changes.add("mtime " + f.mtime() + " -> " + mtime);
    }
    long ctime = seconds(a.get("ctime"));
    if (ctime != f.ctime()) {
      changes.add("ctime " + f.ctime() + " -> " + ctime);
    }
    return changes.isEmpty() ? null
        : new Drift(MoveOutcome.SKIPPED_CHANGED, String.join(", ", changes));
  }

  /** The result for a file the tool failed on: VANISHED or SKIPPED_CHANGED if it explains why. */
  static MoveResult afterFailure(PlannedFile f, String toolName, String toolReason) {
    Drift d = drift(f);
    if (d == null || d.outcome() == MoveOutcome.FAILED) {
      return MoveResult.failed(f.path(), toolReason);
    }
    String what = d.outcome() == MoveOutcome.VANISHED ? d.what()
        : "changed while " + toolName + " ran (" + d.what() + ")";
    return new MoveResult(f.path(), d.outcome(), what + "; " + toolReason);
  }

  private static long seconds(Object time) {
    return ((FileTime) time).to(TimeUnit.SECONDS);
  }
}
