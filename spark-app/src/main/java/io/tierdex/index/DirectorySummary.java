package io.tierdex.index;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The aggregates of one directory's {@code summary} row over its files and links,
 * computed as GUFI's {@code sumit} does: counts, sizes, blocks and size buckets over
 * regular files only; owners, times, crtime and ossint over files and links. An empty
 * directory keeps the sentinels (every min INT64_MAX, every max INT64_MIN).
 */
final class DirectorySummary {
  private static final long KIB = 1024L;
  private static final long MIB = 1024L * KIB;
  private static final long GIB = 1024L * MIB;
  private static final long TIB = 1024L * GIB;

  private long totfiles;
  private long totlinks;
  private long minuid = Long.MAX_VALUE;
  private long maxuid = Long.MIN_VALUE;
  private long mingid = Long.MAX_VALUE;
  private long maxgid = Long.MIN_VALUE;
  private long minsize = Long.MAX_VALUE;
  private long maxsize = Long.MIN_VALUE;
  private long totzero;
  private long totltk;
  private long totmtk;
  private long totltm;
  private long totmtm;
  private long totmtg;
  private long totmtt;
  private long totsize;
  private final MinMaxTotal ctime = new MinMaxTotal();
  private final MinMaxTotal mtime = new MinMaxTotal();
  private final MinMaxTotal atime = new MinMaxTotal();
  private final MinMaxTotal blocks = new MinMaxTotal();
  private final MinMaxTotal crtime = new MinMaxTotal();
  private final MinMaxTotal[] ossint = {
    new MinMaxTotal(), new MinMaxTotal(), new MinMaxTotal(), new MinMaxTotal()
  };
  private long totxattr;

  /** Adds one stored entry: {@code 'f'} (regular file) or {@code 'l'} (symlink). */
  void add(char type, EntryStat st, int xattrCount) {
    if (type == 'f') {
      totfiles++;
      long size = st.size();
      minsize = Math.min(minsize, size);
      maxsize = Math.max(maxsize, size);
      if (size == 0) totzero++;
      if (size <= KIB) totltk++;
      if (size > KIB) totmtk++;
      if (size <= MIB) totltm++;
      if (size > MIB) totmtm++;
      if (size > GIB) totmtg++;
      if (size > TIB) totmtt++;
      totsize += size;
      blocks.add(st.blocks());
    } else {
      totlinks++;
    }
    minuid = Math.min(minuid, st.uid());
    maxuid = Math.max(maxuid, st.uid());
    mingid = Math.min(mingid, st.gid());
    maxgid = Math.max(maxgid, st.gid());
    ctime.add(st.ctime());
    mtime.add(st.mtime());
    atime.add(st.atime());
    crtime.add(0L);
    for (MinMaxTotal o : ossint) {
      o.add(0L);
    }
    totxattr += xattrCount;
  }

  /**
   * Binds the whole row, the directory's own fields first, in the column order of
   * {@code summary}.
   */
  void bind(PreparedStatement ps, String quotedName, EntryStat dir, String parentInode,
      byte[] xattrNames) throws SQLException {
    int i = 1;
    ps.setString(i++, quotedName);
    ps.setString(i++, "d");
    ps.setString(i++, Long.toUnsignedString(dir.inode()));
    ps.setLong(i++, dir.mode());
    ps.setLong(i++, dir.nlink());
    ps.setLong(i++, dir.uid());
    ps.setLong(i++, dir.gid());
    ps.setLong(i++, dir.size());
    ps.setLong(i++, dir.blksize());
    ps.setLong(i++, dir.blocks());
    ps.setLong(i++, dir.atime());
    ps.setLong(i++, dir.mtime());
    ps.setLong(i++, dir.ctime());
    ps.setString(i++, "");
    ps.setBytes(i++, xattrNames);
    ps.setLong(i++, 0L); // crtime: no birth time through lstat
    ps.setLong(i++, totfiles);
    ps.setLong(i++, totlinks);
    ps.setLong(i++, minuid);
    ps.setLong(i++, maxuid);
    ps.setLong(i++, mingid);
    ps.setLong(i++, maxgid);
    ps.setLong(i++, minsize);
    ps.setLong(i++, maxsize);
    ps.setLong(i++, totzero);
    ps.setLong(i++, totltk);
    ps.setLong(i++, totmtk);
    ps.setLong(i++, totltm);
    ps.setLong(i++, totmtm);
    ps.setLong(i++, totmtg);
    ps.setLong(i++, totmtt);
    ps.setLong(i++, totsize);
    i = ctime.bind(ps, i);
    i = mtime.bind(ps, i);
    i = atime.bind(ps, i);
    i = blocks.bind(ps, i);
    ps.setLong(i++, totxattr);
    ps.setLong(i++, 0L); // depth
    i = crtime.bind(ps, i);
    for (MinMaxTotal o : ossint) {
      i = o.bind(ps, i);
    }
    ps.setLong(i++, 0L); // rectype: the directory's own row
    ps.setString(i++, parentInode);
    ps.setLong(i++, 1L); // isroot
    ps.setLong(i++, 0L); // canrollup
    ps.setLong(i, 0L); // isrolledup
  }

  /** One min/max/total triple with GUFI's sentinels. */
  private static final class MinMaxTotal {
    private long min = Long.MAX_VALUE;
    private long max = Long.MIN_VALUE;
    private long total;

    void add(long v) {
      min = Math.min(min, v);
      max = Math.max(max, v);
      total += v;
    }

    int bind(PreparedStatement ps, int i) throws SQLException {
      ps.setLong(i, min);
      ps.setLong(i + 1, max);
      ps.setLong(i + 2, total);
      return i + 3;
    }
  }
}
