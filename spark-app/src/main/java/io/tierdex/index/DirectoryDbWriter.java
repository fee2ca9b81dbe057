package io.tierdex.index;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Builds the bytes of one directory's {@code db.db} at a time, for one worker thread:
 * GUFI's rows for {@code entries}, {@code xattrs_pwd} and {@code summary}, written as
 * pages into a copy of the empty template by a {@link DbImageBuilder}, without SQLite.
 *
 * <p>Values and storage classes are the ones this writer bound through sqlite-jdbc
 * before: names, types, inodes and link targets as TEXT, numbers as INTEGER,
 * {@code xattr_names} as a BLOB (empty, not NULL, when there are none), xattr names
 * and values as BLOBs.
 *
 * <p>A directory whose file would not fit one Java array (about 2 GiB) is the one
 * failure left, an IOException.
 */
final class DirectoryDbWriter {
  private static final byte[] NO_XATTRS = new byte[0];

  private final DbImageBuilder image;
  private final TableTreeBuilder entries;
  private final TableTreeBuilder summaries;
  private final TableTreeBuilder xattrs;
  private final RecordEncoder row = new RecordEncoder();

  /** Set by finish: the image is the caller's until the next row starts a new one. */
  private boolean finished;

  DirectoryDbWriter(GufiSchema schema) {
    image = new DbImageBuilder(DbTemplate.parse(schema.emptyDatabase()),
        "entries", "summary", "xattrs_pwd");
    entries = image.table("entries");
    summaries = image.table("summary");
    xattrs = image.table("xattrs_pwd");
  }

  /** Adds one {@code entries} row; names and link targets arrive already GUFI-quoted. */
  void addEntry(String quotedName, char type, EntryStat st, String quotedLinkname,
      byte[] xattrNames) throws IOException {
    startIfFinished();
    RecordEncoder r = row.clear();
    r.text(quotedName);
    r.text(type == 'f' ? "f" : "l");
    r.text(Long.toUnsignedString(st.inode()));
    r.integer(st.mode());
    r.integer(st.nlink());
    r.integer(st.uid());
    r.integer(st.gid());
    r.integer(st.size());
    r.integer(st.blksize());
    r.integer(st.blocks());
    r.integer(st.atime());
    r.integer(st.mtime());
    r.integer(st.ctime());
    r.text(quotedLinkname);
    r.blob(xattrNames == null ? NO_XATTRS : xattrNames);
    r.integer(0L); // crtime: lstat gives no birth time
    // ossint1..4 and osstext1..2 are GUFI's site columns: 0 and '' until tiering uses them.
    r.integer(0L);
    r.integer(0L);
    r.integer(0L);
    r.integer(0L);
    r.text("");
    r.text("");
    entries.add(r);
  }

  /** Adds one {@code xattrs_pwd} row (inode as text, name and value as GUFI binds them). */
  void addXattr(long inode, byte[] name, byte[] value) throws IOException {
    startIfFinished();
    RecordEncoder r = row.clear();
    r.text(Long.toUnsignedString(inode));
    r.blob(name);
    r.blob(value);
    xattrs.add(r);
  }

  /**
   * Adds the directory's summary row and returns the finished database file: a view of
   * this writer's buffer, valid until the next call (the next directory's first row).
   */
  ByteBuffer finish(DirectorySummary summary, String quotedName, EntryStat dir,
      String parentInode, byte[] xattrNames) throws IOException {
    startIfFinished();
    try {
      RecordEncoder r = row.clear();
      summary.bind(r, quotedName, dir, parentInode, xattrNames == null ? NO_XATTRS : xattrNames);
      summaries.add(r);
      ByteBuffer file = image.finish();
      finished = true;
      return file;
    } catch (IOException | RuntimeException e) {
      reset();
      throw e;
    }
  }

  private void startIfFinished() {
    if (finished) {
      reset();
    }
  }

  /** Drops whatever was added since the last finish. */
  void reset() {
    finished = false;
    image.reset();
  }
}
