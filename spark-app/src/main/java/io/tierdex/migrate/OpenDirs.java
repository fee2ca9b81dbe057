package io.tierdex.migrate;

import java.util.List;

/**
 * The directories one mover thread keeps open from file to file: a bin's files come grouped
 * by directory (largest first, then by path), so most files reuse the directory of the one
 * before. A reused directory is re-checked before every rename like a fresh one
 * ({@link SafeDir#stillThere}); one found moved is dropped, so the next file walks its path
 * afresh and sees what is there now.
 */
public final class OpenDirs implements AutoCloseable {
  private final Posix posix;
  private final String root;
  private String lastPath;
  private SafeDir last;
  private SafeDir staging;
  private boolean stagingStale;

  OpenDirs(Posix posix, String root) {
    this.posix = posix;
    this.root = root;
  }

  /**
   * The directory below the root whose components are {@code dirs} (its path is
   * {@code path}); not to be closed.
   */
  SafeDir open(List<String> dirs, String path) throws SafeDir.Refused, Posix.SysError {
    SafeDir same = cached(path);
    if (same != null) {
      return same;
    }
    close(last);
    last = null;
    lastPath = null;
    last = SafeDir.open(posix, root, dirs);
    lastPath = path;
    return last;
  }

  /** The directory last opened if its path was {@code path}, else null: no parsing. */
  SafeDir cached(String path) {
    return last != null && path.equals(lastPath) ? last : null;
  }

  /** The staging directory, opened on first use. */
  SafeDir staging(List<String> dirs) throws SafeDir.Refused, Posix.SysError {
    if (staging == null || stagingStale) {
      close(staging);
      staging = null;
      staging = SafeDir.open(posix, root, dirs);
      stagingStale = false;
    }
    return staging;
  }

  /**
   * Forgets a directory found moved: the next file opens its path again. It stays open
   * until then, for the file at hand to clean up in.
   */
  void stale(SafeDir dir) {
    if (dir == last) {
      lastPath = null;
    } else if (dir == staging) {
      stagingStale = true;
    }
  }

  private static void close(SafeDir dir) {
    if (dir != null) {
      dir.close();
    }
  }

  @Override
  public void close() {
    close(last);
    close(staging);
    last = null;
    staging = null;
  }
}
