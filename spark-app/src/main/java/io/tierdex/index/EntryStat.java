package io.tierdex.index;

import jnr.posix.FileStat;

/** The {@code lstat} fields GUFI stores, copied out of a reused native stat buffer. */
record EntryStat(long inode, int mode, long nlink, long uid, long gid, long size,
    long blksize, long blocks, long atime, long mtime, long ctime) {

  static final int S_IFMT = 0170000;
  static final int S_IFDIR = 0040000;
  static final int S_IFREG = 0100000;
  static final int S_IFLNK = 0120000;

  static EntryStat of(FileStat st) {
    return new EntryStat(st.ino(), st.mode(), st.nlink(), st.uid() & 0xFFFFFFFFL,
        st.gid() & 0xFFFFFFFFL, st.st_size(), st.blockSize(), st.blocks(), st.atime(),
        st.mtime(), st.ctime());
  }

  boolean isDirectory() {
    return (mode & S_IFMT) == S_IFDIR;
  }

  boolean isRegularFile() {
    return (mode & S_IFMT) == S_IFREG;
  }

  boolean isSymlink() {
    return (mode & S_IFMT) == S_IFLNK;
  }
}
