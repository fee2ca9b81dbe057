package io.tierdex.index;

import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;

/**
 * Builds the bytes of one directory's {@code db.db} at a time, for one worker thread.
 *
 * <p>Opening a fresh SQLite file costs a parse of the whole GUFI schema (about 190 us,
 * more than everything else per directory). Instead each worker keeps one in-memory
 * database holding the empty schema; per directory it inserts the rows, serializes the
 * database mid-transaction (SQLite reads the uncommitted pages through its pager) and
 * rolls back to the empty state, keeping the parsed schema for the next directory.
 */
final class DirectoryDbWriter implements AutoCloseable {
  /** Bounds memory for huge directories: rows go to SQLite in batches of this many. */
  private static final int BATCH = 1024;
  private static final byte[] NO_XATTRS = new byte[0];

  private final GufiSchema schema;
  private final SQLiteConnection db;
  private final PreparedStatement insertEntry;
  private final PreparedStatement insertSummary;
  private final PreparedStatement insertXattr;
  private int pending;

  DirectoryDbWriter(GufiSchema schema) throws SQLException {
    this.schema = schema;
    SQLiteConfig config = new SQLiteConfig();
    // Otherwise every executeUpdate runs a second statement to fetch last_insert_rowid().
    config.setGetGeneratedKeys(false);
    this.db = (SQLiteConnection) DriverManager.getConnection("jdbc:sqlite::memory:",
        config.toProperties());
    try (Statement s = db.createStatement()) {
      for (String sql : schema.statements()) {
        s.execute(sql);
      }
    }
    db.setAutoCommit(false);
    // ossint1..4 and osstext1..2 are GUFI's site columns: 0 and '' until tiering uses them.
    insertEntry = db.prepareStatement(
        "INSERT INTO entries VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0,0,0,0,'','')");
    insertSummary = db.prepareStatement("INSERT INTO summary VALUES (" + "?,".repeat(65) + "?)");
    insertXattr = db.prepareStatement("INSERT INTO xattrs_pwd VALUES (?,?,?)");
  }

  /** Adds one {@code entries} row; names and link targets arrive already GUFI-quoted. */
  void addEntry(String quotedName, char type, EntryStat st, String quotedLinkname,
      byte[] xattrNames) throws SQLException {
    PreparedStatement ps = insertEntry;
    ps.setString(1, quotedName);
    ps.setString(2, type == 'f' ? "f" : "l");
    ps.setString(3, Long.toUnsignedString(st.inode()));
    ps.setLong(4, st.mode());
    ps.setLong(5, st.nlink());
    ps.setLong(6, st.uid());
    ps.setLong(7, st.gid());
    ps.setLong(8, st.size());
    ps.setLong(9, st.blksize());
    ps.setLong(10, st.blocks());
    ps.setLong(11, st.atime());
    ps.setLong(12, st.mtime());
    ps.setLong(13, st.ctime());
    ps.setString(14, quotedLinkname);
    ps.setBytes(15, xattrNames == null ? NO_XATTRS : xattrNames);
    ps.setLong(16, 0L); // crtime: lstat gives no birth time
    ps.addBatch();
    if (++pending == BATCH) {
      flush();
    }
  }

  /** Adds one {@code xattrs_pwd} row (inode as text, name and value as GUFI binds them). */
  void addXattr(long inode, byte[] name, byte[] value) throws SQLException {
    flush();
    insertXattr.setString(1, Long.toUnsignedString(inode));
    insertXattr.setBytes(2, name);
    insertXattr.setBytes(3, value);
    insertXattr.executeUpdate();
  }

  /**
   * Adds the directory's summary row and returns the finished database file, leaving
   * this writer empty for the next directory.
   */
  byte[] finish(DirectorySummary summary, String quotedName, EntryStat dir,
      String parentInode, byte[] xattrNames) throws SQLException {
    try {
      flush();
      summary.bind(insertSummary, quotedName, dir, parentInode,
          xattrNames == null ? NO_XATTRS : xattrNames);
      insertSummary.executeUpdate();
      byte[] image = db.serialize("main");
      schema.stampHeader(image);
      return image;
    } finally {
      reset();
    }
  }

  /** Drops whatever was added since the last finish. */
  void reset() throws SQLException {
    pending = 0;
    insertEntry.clearBatch();
    db.rollback();
  }

  private void flush() throws SQLException {
    if (pending > 0) {
      pending = 0;
      insertEntry.executeBatch();
    }
  }

  @Override
  public void close() throws SQLException {
    db.close();
  }
}
