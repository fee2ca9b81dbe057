package io.tierdex.migrate;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A directory under the mover's root, opened one component at a time with
 * {@code O_NOFOLLOW}, so a symbolic link anywhere in the path is refused rather than
 * followed. {@link #stillThere()} says, just before a rename, whether the path still leads
 * to this very directory: a directory moved, removed, or swapped for another one (or for a
 * link) since it was opened is caught.
 */
final class SafeDir implements AutoCloseable {
  private static final int DIR_FLAGS = Posix.O_PATH | Posix.O_DIRECTORY | Posix.O_NOFOLLOW;

  /** Why a path cannot be opened safely: a link, not a directory, outside the root. */
  static final class Refused extends Exception {
    Refused(String message) {
      super(message);
    }
  }

  private final Posix posix;
  private final String root;
  private final List<String> components;
  private final String path;
  final int fd;
  final Stat stat;
  /**
   * The kernel's path of the directory as opened: the root's real path and the components;
   * null if /proc cannot tell (or something moved while it was being opened).
   */
  private final byte[] opened;
  /** {@code /proc/self/fd/<fd>}, read before every rename. */
  private final byte[] procFd;

  private SafeDir(Posix posix, String root, List<String> components, String path, int fd,
      Stat stat, byte[] opened) {
    this.posix = posix;
    this.root = root;
    this.components = components;
    this.path = path;
    this.fd = fd;
    this.stat = stat;
    this.opened = opened;
    this.procFd = Posix.procFd(fd);
  }

  /**
   * The components of {@code path} below {@code root}, or a refusal: not absolute, not
   * under the root, or containing {@code .}, {@code ..} or empty components.
   */
  static List<String> relative(String root, String path) throws Refused {
    String prefix = root.endsWith("/") ? root : root + "/";
    if (!path.startsWith(prefix) || path.length() == prefix.length()) {
      throw new Refused("outside the configured root " + root + "; refused");
    }
    List<String> parts = new ArrayList<>();
    for (String part : path.substring(prefix.length()).split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        throw new Refused("path has an empty, '.' or '..' component; refused");
      }
      parts.add(part);
    }
    return parts;
  }

  /** Opens the directory whose components below {@code root} are {@code dirs}. */
  static SafeDir open(Posix posix, String root, List<String> dirs) throws Refused,
      Posix.SysError {
    int fd = posix.openat(-100, root, Posix.O_PATH | Posix.O_DIRECTORY, 0, root);
    byte[] realRoot = posix.pathOf(fd);
    StringBuilder at = new StringBuilder(root);
    try {
      for (String d : dirs) {
        int next = openComponent(posix, fd, d, at.append('/').append(d).toString());
        posix.close(fd);
        fd = next;
      }
      byte[] opened = null;
      if (realRoot != null) {
        String real = new String(realRoot, StandardCharsets.UTF_8);
        byte[] expected = (dirs.isEmpty() ? real : (real.equals("/") ? "" : real) + "/"
            + String.join("/", dirs)).getBytes(StandardCharsets.UTF_8);
        opened = Arrays.equals(expected, posix.pathOf(fd)) ? expected : null;
      }
      return new SafeDir(posix, root, List.copyOf(dirs), at.toString(), fd,
          posix.fstat(fd, at.toString()), opened);
    } catch (Refused | Posix.SysError | RuntimeException e) {
      posix.close(fd);
      throw e;
    }
  }

  private static int openComponent(Posix posix, int parent, String name, String where)
      throws Refused, Posix.SysError {
    try {
      return posix.openat(parent, name, DIR_FLAGS, 0, where);
    } catch (Posix.SysError e) {
      if (e.errno == Posix.ENOTDIR || e.errno == Posix.ELOOP) {
        Stat s = posix.statAt(parent, name, where);
        throw new Refused(where + " is " + s.type() + (s.isSymlink()
            ? "; links are never followed, refused" : ", not a directory"));
      }
      throw e;
    }
  }

  /**
   * Null if the path still leads, without links, to this very directory; else what
   * changed.
   */
  String stillThere() {
    // One readlink instead of a walk: the kernel names the directory by its entries, so if
    // that name is unchanged no component was renamed, removed or replaced by a link. A
    // different name is told apart by walking the path again.
    if (opened != null && posix.pathIs(procFd, opened)) {
      return null;
    }
    try (SafeDir again = open(posix, root, components)) {
      return again.stat.dev() == stat.dev() && again.stat.ino() == stat.ino() ? null
          : path + " was replaced by another directory since it was checked";
    } catch (Refused e) {
      return e.getMessage() + " (changed since it was checked)";
    } catch (Posix.SysError e) {
      return path + " changed since it was checked: " + e.getMessage();
    }
  }

  String path() {
    return path;
  }

  @Override
  public void close() {
    posix.close(fd);
  }
}
