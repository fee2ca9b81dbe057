package io.tierdex.migrate;

import java.nio.ByteBuffer;

/** The fields of a {@code struct statx} the mover compares and copies. */
record Stat(long dev, long ino, int nlink, int mode, int uid, int gid, long size,
    long atime, int atimeNanos, long mtime, int mtimeNanos, long ctime, int ctimeNanos) {
  private static final int S_IFMT = 0170000;
  private static final int S_IFREG = 0100000;
  private static final int S_IFDIR = 0040000;
  private static final int S_IFLNK = 0120000;

  /** Decodes the little-endian {@code struct statx} layout, the same on every Linux arch. */
  static Stat of(ByteBuffer b) {
    long dev = ((long) b.getInt(136) << 32) | (b.getInt(140) & 0xffffffffL);
    return new Stat(dev, b.getLong(32), b.getInt(16), b.getShort(28) & 0xffff, b.getInt(20),
        b.getInt(24), b.getLong(40), b.getLong(64), b.getInt(72), b.getLong(112), b.getInt(120),
        b.getLong(96), b.getInt(104));
  }

  boolean isRegular() {
    return (mode & S_IFMT) == S_IFREG;
  }

  boolean isDirectory() {
    return (mode & S_IFMT) == S_IFDIR;
  }

  boolean isSymlink() {
    return (mode & S_IFMT) == S_IFLNK;
  }

  /** Permission bits, setuid/setgid/sticky included. */
  int permissions() {
    return mode & 07777;
  }

  String type() {
    return isDirectory() ? "a directory" : isSymlink() ? "a symbolic link"
        : switch (mode & S_IFMT) {
          case 0010000 -> "a FIFO";
          case 0140000 -> "a socket";
          case 0020000 -> "a character device";
          case 0060000 -> "a block device";
          default -> "a regular file";
        };
  }

  /** Same file, same content as far as stat can tell: inode, size, mtime and ctime to the ns. */
  boolean sameAs(Stat o) {
    return dev == o.dev && ino == o.ino && size == o.size && mtime == o.mtime
        && mtimeNanos == o.mtimeNanos && ctime == o.ctime && ctimeNanos == o.ctimeNanos;
  }
}
