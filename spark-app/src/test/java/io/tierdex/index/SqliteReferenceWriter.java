package io.tierdex.index;

import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;

/**
 * Test oracle: the SQLite-backed DirectoryDbWriter that the page writer replaced, kept
 * as it was (in-memory database holding the schema, rows inserted through prepared
 * statements, the image serialized mid-transaction and given the template's committed
 * header fields, then rolled back). Same methods, so tests feed both the same calls.
 */
final class SqliteReferenceWriter implements AutoCloseable {
  private static final int BATCH = 1024;
  private static final byte[] NO_XATTRS = new byte[0];

  private final byte[] template;
  private final SQLiteConnection db;
  private final PreparedStatement insertEntry;
  private final PreparedStatement insertSummary;
  private final PreparedStatement insertXattr;
  private int pending;

  SqliteReferenceWriter(GufiSchema schema) throws SQLException {
    this.template = schema.emptyDatabase();
    SQLiteConfig config = new SQLiteConfig();
    config.setGetGeneratedKeys(false);
    this.db = (SQLiteConnection) DriverManager.getConnection("jdbc:sqlite::memory:",
        config.toProperties());
    try (Statement s = db.createStatement()) {
      for (String sql : schema.statements()) {
        s.execute(sql);
      }
    }
    db.setAutoCommit(false);
    insertEntry = db.prepareStatement(
        "INSERT INTO entries VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0,0,0,0,'','')");
    insertSummary = db.prepareStatement("INSERT INTO summary VALUES (" + "?,".repeat(65) + "?)");
    insertXattr = db.prepareStatement("INSERT INTO xattrs_pwd VALUES (?,?,?)");
  }

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
    ps.setLong(16, 0L);
    ps.addBatch();
    if (++pending == BATCH) {
      flush();
    }
  }

  void addXattr(long inode, byte[] name, byte[] value) throws SQLException {
    flush();
    insertXattr.setString(1, Long.toUnsignedString(inode));
    insertXattr.setBytes(2, name);
    insertXattr.setBytes(3, value);
    insertXattr.executeUpdate();
  }

  byte[] finish(DirectorySummary summary, String quotedName, EntryStat dir,
      String parentInode, byte[] xattrNames) throws SQLException {
    try {
      flush();
      summary.bind(new StatementColumns(insertSummary), quotedName, dir, parentInode,
          xattrNames == null ? NO_XATTRS : xattrNames);
      insertSummary.executeUpdate();
      byte[] image = db.serialize("main");
      System.arraycopy(template, 24, image, 24, 4);
      System.arraycopy(template, 92, image, 92, 8);
      return image;
    } finally {
      reset();
    }
  }

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

  /** Binds column values to a statement's parameters 1, 2, 3... */
  private static final class StatementColumns implements ColumnSink {
    private final PreparedStatement ps;
    private int next = 1;

    StatementColumns(PreparedStatement ps) {
      this.ps = ps;
    }

    @Override
    public void text(String value) {
      bind(() -> ps.setString(next, value));
    }

    @Override
    public void integer(long value) {
      bind(() -> ps.setLong(next, value));
    }

    @Override
    public void blob(byte[] value) {
      bind(() -> ps.setBytes(next, value));
    }

    private void bind(SqlAction a) {
      try {
        a.run();
        next++;
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }

    private interface SqlAction {
      void run() throws SQLException;
    }
  }
}
