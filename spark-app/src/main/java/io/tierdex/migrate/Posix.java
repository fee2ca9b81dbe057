package io.tierdex.migrate;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;

/**
 * The descriptor-relative system calls the copy mover is built on. Every path it opens is
 * one name relative to a directory descriptor, opened with {@code O_NOFOLLOW}, so no user
 * can steer a move through a symbolic link; metadata is read and set on descriptors, never
 * by path. Linux only (x86_64 and aarch64 flag values).
 */
final class Posix {
  static final int EPERM = 1;
  static final int ENOENT = 2;
  static final int EINTR = 4;
  static final int EAGAIN = 11;
  static final int EEXIST = 17;
  static final int ENOTDIR = 20;
  static final int EINVAL = 22;
  static final int ENOSPC = 28;
  static final int ERANGE = 34;
  static final int ENOSYS = 38;
  static final int ELOOP = 40;
  static final int ENODATA = 61;
  static final int EOPNOTSUPP = 95;
  static final int EXDEV = 18;
  static final int EDQUOT = 122;

  static final int O_RDONLY = 0;
  static final int O_WRONLY = 1;
  static final int O_RDWR = 2;
  static final int O_CREAT = 0100;
  static final int O_EXCL = 0200;
  static final int O_DIRECTORY;
  static final int O_NOFOLLOW;
  static final int O_NOATIME = 01000000;
  static final int O_CLOEXEC = 02000000;
  static final int O_PATH = 010000000;

  static final int AT_SYMLINK_NOFOLLOW = 0x100;
  static final int AT_EMPTY_PATH = 0x1000;
  static final int RENAME_EXCHANGE = 2;
  static final int F_SETLEASE = 1024;
  static final int F_GETLEASE = 1025;
  static final int F_WRLCK = 1;
  static final int F_UNLCK = 2;
  private static final int STATX_BASIC_STATS = 0x7ff;
  private static final byte[] EMPTY_PATH = {0};
  /** Per thread: a {@code struct statx}, and a link's target. */
  private static final ThreadLocal<ByteBuffer> STATX = ThreadLocal.withInitial(
      () -> ByteBuffer.allocateDirect(256).order(ByteOrder.LITTLE_ENDIAN));
  private static final ThreadLocal<ByteBuffer> LINK = ThreadLocal.withInitial(
      () -> ByteBuffer.allocateDirect(4096));

  static {
    String arch = System.getProperty("os.arch");
    if (arch.equals("aarch64")) {
      O_DIRECTORY = 040000;
      O_NOFOLLOW = 0100000;
    } else {
      O_DIRECTORY = 0200000;
      O_NOFOLLOW = 0400000;
    }
  }

  /**
   * The libc calls, bound by jnr-ffi. Paths go as NUL-terminated bytes copied in only, and
   * results land in direct buffers: a mover makes some twenty of these calls per file, and
   * jnr's String conversion or a byte array copied both ways cost more than the call.
   */
  public interface LibC {
    int openat(int dirfd, @In byte[] path, int flags, int mode);

    int close(int fd);

    int statx(int dirfd, @In byte[] path, int flags, int mask, ByteBuffer buf);

    int renameat2(int olddirfd, @In byte[] oldpath, int newdirfd, @In byte[] newpath,
        int flags);

    int unlinkat(int dirfd, @In byte[] path, int flags);

    long readlink(@In byte[] path, ByteBuffer buf, long size);

    int fchown(int fd, int uid, int gid);

    int fchmod(int fd, int mode);

    int futimens(int fd, long[] times);

    long flistxattr(int fd, @Out byte[] list, long size);

    long fgetxattr(int fd, @In byte[] name, @Out byte[] value, long size);

    int fsetxattr(int fd, @In byte[] name, @In byte[] value, long size, int flags);

    int fremovexattr(int fd, @In byte[] name);

    int fsync(int fd);

    long copy_file_range(int fdIn, Pointer offIn, int fdOut, Pointer offOut, long len, int flags);

    long pread(int fd, ByteBuffer buf, long count, long offset);

    long read(int fd, ByteBuffer buf, long count);

    long write(int fd, ByteBuffer buf, long count);

    int fcntl(int fd, int cmd, int arg);

    int ftruncate(int fd, long length);

    String strerror(int errnum);
  }

  /** A failed call: the errno, the call and what it was called on. */
  static final class SysError extends IOException {
    final int errno;

    SysError(int errno, String message) {
      super(message);
      this.errno = errno;
    }
  }

  private static final Posix INSTANCE = new Posix();

  private final LibC libc;
  private final Runtime runtime;

  private Posix() {
    libc = LibraryLoader.create(LibC.class).load("c");
    runtime = Runtime.getRuntime(libc);
  }

  static Posix get() {
    return INSTANCE;
  }

  int errno() {
    return LastError.getLastError(runtime);
  }

  String describe(int errno) {
    return libc.strerror(errno);
  }

  SysError error(String call, String what) {
    int e = errno();
    return new SysError(e, call + " " + what + ": " + describe(e));
  }

  /** Opens {@code name} under {@code dirfd}; returns the descriptor or throws. */
  int openat(int dirfd, String name, int flags, int mode, String what) throws SysError {
    int fd;
    do {
      fd = libc.openat(dirfd, cName(name), flags | O_CLOEXEC, mode);
    } while (fd < 0 && errno() == EINTR);
    if (fd < 0) {
      throw error("open", what);
    }
    return fd;
  }

  void close(int fd) {
    if (fd >= 0) {
      libc.close(fd);
    }
  }

  /** {@code statx} of {@code name} under {@code dirfd}, never following a link. */
  Stat statAt(int dirfd, String name, String what) throws SysError {
    return statx(dirfd, cName(name), AT_SYMLINK_NOFOLLOW, what);
  }

  /** {@code stat} following links: for {@code /proc/<pid>/fd/<n>} entries. */
  Stat statFollowing(String path) throws SysError {
    return statx(-100, cName(path), 0, path);
  }

  Stat fstat(int fd, String what) throws SysError {
    return statx(fd, EMPTY_PATH, AT_EMPTY_PATH, what);
  }

  private Stat statx(int dirfd, byte[] path, int flags, String what) throws SysError {
    ByteBuffer buf = STATX.get();
    if (libc.statx(dirfd, path, flags, STATX_BASIC_STATS, buf) != 0) {
      throw error("stat", what);
    }
    return Stat.of(buf);
  }

  /** renameat2; returns 0 or the errno (callers fall back when EXCHANGE is unsupported). */
  int rename(int dirfd, String from, int toDirfd, String to, int flags) {
    return libc.renameat2(dirfd, cName(from), toDirfd, cName(to), flags) == 0 ? 0 : errno();
  }

  /**
   * Where a descriptor's file is now, from {@code /proc/self/fd}: the kernel's path of its
   * directory entry (with " (deleted)" once removed); null where /proc cannot tell.
   */
  byte[] pathOf(int fd) {
    ByteBuffer buf = LINK.get().clear();
    long n = libc.readlink(procFd(fd), buf, buf.capacity());
    if (n <= 0 || n == buf.capacity()) {
      return null;
    }
    byte[] path = new byte[(int) n];
    buf.get(0, path);
    return path;
  }

  /** Whether {@link #pathOf} of {@code procFd} is {@code path}, without copying it out. */
  boolean pathIs(byte[] procFd, byte[] path) {
    ByteBuffer buf = LINK.get().clear();
    long n = libc.readlink(procFd, buf, buf.capacity());
    boolean same = n == path.length && buf.limit((int) n).equals(ByteBuffer.wrap(path));
    buf.clear();
    return same;
  }

  /** {@code /proc/self/fd/<fd>} as a C string. */
  static byte[] procFd(int fd) {
    return cName("/proc/self/fd/" + fd);
  }

  /** unlinkat; returns 0 or the errno. */
  int unlink(int dirfd, String name) {
    return libc.unlinkat(dirfd, cName(name), 0) == 0 ? 0 : errno();
  }

  void fchown(int fd, int uid, int gid, String what) throws SysError {
    if (libc.fchown(fd, uid, gid) != 0) {
      throw error("chown", what);
    }
  }

  void fchmod(int fd, int mode, String what) throws SysError {
    if (libc.fchmod(fd, mode) != 0) {
      throw error("chmod", what);
    }
  }

  void futimens(int fd, Stat times, String what) throws SysError {
    long[] ts = {times.atime(), times.atimeNanos(), times.mtime(), times.mtimeNanos()};
    if (libc.futimens(fd, ts) != 0) {
      throw error("set times of", what);
    }
  }

  void fsync(int fd, String what) throws SysError {
    if (libc.fsync(fd) != 0) {
      throw error("fsync", what);
    }
  }

  /** Copies up to {@code len} bytes in the kernel at both descriptors' offsets; 0 at EOF. */
  long copyFileRange(int in, int out, long len, String what) throws SysError {
    long n;
    do {
      n = libc.copy_file_range(in, null, out, null, len, 0);
    } while (n < 0 && errno() == EINTR);
    if (n < 0) {
      throw error("copy", what);
    }
    return n;
  }

  /** Fills {@code buf} from {@code offset} up to its limit or EOF; returns the bytes read. */
  int pread(int fd, ByteBuffer buf, long offset, String what) throws SysError {
    int total = 0;
    while (buf.hasRemaining()) {
      long n = libc.pread(fd, buf.slice(), buf.remaining(), offset + total);
      if (n < 0) {
        if (errno() == EINTR) {
          continue;
        }
        throw error("read", what);
      }
      if (n == 0) {
        break;
      }
      buf.position(buf.position() + (int) n);
      total += (int) n;
    }
    return total;
  }

  void writeFully(int fd, ByteBuffer buf, String what) throws SysError {
    while (buf.hasRemaining()) {
      long n = libc.write(fd, buf.slice(), buf.remaining());
      if (n < 0) {
        if (errno() == EINTR) {
          continue;
        }
        throw error("write", what);
      }
      buf.position(buf.position() + (int) n);
    }
  }

  /** fcntl returning its result or -errno. */
  int fcntl(int fd, int cmd, int arg) {
    int r = libc.fcntl(fd, cmd, arg);
    return r >= 0 ? r : -errno();
  }

  /** All extended attribute names of a descriptor (every namespace: ACLs are system.*). */
  byte[][] xattrNames(int fd, String what) throws SysError {
    byte[] list = new byte[1024];
    long len;
    while ((len = libc.flistxattr(fd, list, list.length)) < 0) {
      int e = errno();
      if (e == EOPNOTSUPP) {
        return new byte[0][];
      }
      if (e != ERANGE) {
        throw new SysError(e, "list xattrs of " + what + ": " + describe(e));
      }
      list = new byte[list.length * 8];
    }
    java.util.List<byte[]> names = new java.util.ArrayList<>();
    int start = 0;
    for (int i = 0; i < len; i++) {
      if (list[i] == 0) {
        names.add(java.util.Arrays.copyOfRange(list, start, i + 1)); // keeps the NUL for C
        start = i + 1;
      }
    }
    return names.toArray(new byte[0][]);
  }

  /** The value of a NUL-terminated attribute name, or null if it went away. */
  byte[] xattr(int fd, byte[] name, String what) throws SysError {
    byte[] buf = new byte[256];
    long len;
    while ((len = libc.fgetxattr(fd, name, buf, buf.length)) < 0) {
      int e = errno();
      if (e == ENODATA) {
        return null;
      }
      if (e != ERANGE) {
        throw new SysError(e, "read xattr " + nameOf(name) + " of " + what + ": " + describe(e));
      }
      buf = new byte[buf.length * 16];
    }
    return java.util.Arrays.copyOf(buf, (int) len);
  }

  void setXattr(int fd, byte[] name, byte[] value, String what) throws SysError {
    if (libc.fsetxattr(fd, name, value, value.length, 0) != 0) {
      int e = errno();
      throw new SysError(e, "set xattr " + nameOf(name) + " on " + what + ": " + describe(e));
    }
  }

  /** Removes an extended attribute; one already gone is not an error. */
  void removeXattr(int fd, byte[] name, String what) throws SysError {
    if (libc.fremovexattr(fd, name) != 0) {
      int e = errno();
      if (e != ENODATA) {
        throw new SysError(e, "remove xattr " + nameOf(name) + " of " + what + ": "
            + describe(e));
      }
    }
  }

  static byte[] cName(String name) {
    byte[] b = name.getBytes(StandardCharsets.UTF_8);
    return java.util.Arrays.copyOf(b, b.length + 1);
  }

  static String nameOf(byte[] cname) {
    int n = cname.length > 0 && cname[cname.length - 1] == 0 ? cname.length - 1 : cname.length;
    return new String(cname, 0, n, StandardCharsets.UTF_8);
  }
}
