package io.tierdex.index;

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
   * Writes the whole row, the directory's own fields first, in the column order of
   * {@code summary}.
   */
  void bind(ColumnSink row, String quotedName, EntryStat dir, String parentInode,
      byte[] xattrNames) {
    row.text(quotedName);
    row.text("d");
    row.text(Long.toUnsignedString(dir.inode()));
    row.integer(dir.mode());
    row.integer(dir.nlink());
    row.integer(dir.uid());
    row.integer(dir.gid());
    row.integer(dir.size());
    row.integer(dir.blksize());
    row.integer(dir.blocks());
    row.integer(dir.atime());
    row.integer(dir.mtime());
    row.integer(dir.ctime());
    row.text("");
    row.blob(xattrNames);
    row.integer(0L); // crtime: no birth time through lstat
    row.integer(totfiles);
    row.integer(totlinks);
    row.integer(minuid);
    row.integer(maxuid);
    row.integer(mingid);
    row.integer(maxgid);
    row.integer(minsize);
    row.integer(maxsize);
    row.integer(totzero);
    row.integer(totltk);
    row.integer(totmtk);
    row.integer(totltm);
    row.integer(totmtm);
    row.integer(totmtg);
    row.integer(totmtt);
    row.integer(totsize);
    ctime.bind(row);
    mtime.bind(row);
    atime.bind(row);
    blocks.bind(row);
    row.integer(totxattr);
    row.integer(0L); // depth
    crtime.bind(row);
    for (MinMaxTotal o : ossint) {
      o.bind(row);
    }
    row.integer(0L); // rectype: the directory's own row
    row.text(parentInode);
    row.integer(1L); // isroot
    row.integer(0L); // canrollup
    row.integer(0L); // isrolledup
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

    void bind(ColumnSink row) {
      row.integer(min);
      row.integer(max);
      row.integer(total);
    }
  }
}
