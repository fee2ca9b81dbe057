package io.tierdex.index;

import java.io.IOException;
import jnr.constants.platform.Errno;
import jnr.ffi.LibraryLoader;
import jnr.posix.FileStat;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import jnr.posix.util.DefaultPOSIXHandler;

/**
 * The POSIX calls the indexer needs and the JDK lacks: {@code lstat} with
 * {@code st_blocks}/{@code st_blksize}, full-mode {@code chmod} (setgid and sticky bits
 * included), {@code chown}, and the {@code user.*} extended attributes of a link itself.
 */
final class NativeFs {
  static final int ENOENT = 2;

  private final POSIX posix;
  private volatile Xattrs xattrs;

  private NativeFs(POSIX posix) {
    this.posix = posix;
  }

  static NativeFs load() {
    return new NativeFs(POSIXFactory.getNativePOSIX(new RaisingHandler()));
  }

  FileStat newStat() {
    return posix.allocateStat();
  }

  /** Fills {@code into} and returns 0, or returns the errno. Never follows a link. */
  int lstat(String path, FileStat into) {
    return posix.lstat(path, into) == 0 ? 0 : posix.errno();
  }

  /** Follows links: for the source roots a user names, which may be links to directories. */
  int stat(String path, FileStat into) {
    return posix.stat(path, into) == 0 ? 0 : posix.errno();
  }

  String describe(int errno) {
    return posix.strerror(errno);
  }

  boolean isRoot() {
    return posix.geteuid() == 0;
  }

  long euid() {
    return posix.geteuid();
  }

  long egid() {
    return posix.getegid();
  }

  /** The group that owns {@code path}, using {@code scratch} as the stat buffer. */
  long groupOf(String path, FileStat scratch) throws IOException {
    call(posix.lstat(path, scratch), "lstat", path);
    return scratch.gid();
  }

  int umask() {
    int mask = posix.umask(022);
    posix.umask(mask);
    return mask;
  }

  void chmod(String path, int mode) throws IOException {
    call(posix.chmod(path, mode), "chmod", path);
  }

  void chown(String path, long uid, long gid) throws IOException {
    call(posix.lchown(path, (int) uid, (int) gid), "chown", path);
  }

  /** The {@code user.*} attributes of an entry, or an empty list; never follows a link. */
  XattrList userXattrs(String path) throws IOException {
    Xattrs x = xattrs;
    if (x == null) {
      synchronized (this) {
        if (xattrs == null) {
          xattrs = new Xattrs(LibraryLoader.create(Xattrs.LibC.class).load("c"));
        }
        x = xattrs;
      }
    }
    return x.user(path);
  }

  private void call(int rc, String call, String path) throws IOException {
    if (rc != 0) {
      int errno = posix.errno();
      throw new IOException(call + " " + path + ": " + posix.strerror(errno));
    }
  }

  /** Turns jnr-posix's error callbacks into exceptions that name the call and path. */
  private static final class RaisingHandler extends DefaultPOSIXHandler {
    @Override
    public void error(Errno error, String call) {
      throw new IllegalStateException(call + ": " + error.description());
    }

    @Override
    public void error(Errno error, String call, String path) {
      throw new IllegalStateException(call + " " + path + ": " + error.description());
    }
  }
}
