package io.tierdex.migrate;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.sqlite.SQLiteConfig;

/**
 * The SQL that records moved files in one directory's db.db, in one transaction: the
 * moves go into a temporary table, and the {@code entries} rows, the rows of their
 * xattrs in {@code xattrs_pwd} and the directory's {@code summary} row are updated from
 * it. The database is opened read-write without create ({@code mode=rw}), so a missing
 * db.db is an error here, never a new empty file.
 */
final class DirectoryDbUpdate {
  /**
   * @param rows {@code entries} rows updated
   * @param missing stored (GUFI-quoted) names with no regular-file row, in the order given
   */
  record Outcome(long rows, List<String> missing) {}

  /** The summary columns kept as min/max/total over {@code entries}, by entry column. */
  private static final List<String> AGGREGATED =
      List.of("ctime", "ossint1", "ossint2", "ossint3", "ossint4");

  private static final String MOVED = "CREATE TEMP TABLE moved(name TEXT PRIMARY KEY,"
      + " inode TEXT, ctime INTEGER, pool_id INTEGER, moved_at INTEGER, pool TEXT, run TEXT,"
      + " old_inode TEXT, found INTEGER NOT NULL DEFAULT 0)";
  private static final String INSERT_MOVED = "INSERT INTO temp.moved"
      + "(name, inode, ctime, pool_id, moved_at, pool, run) VALUES (?, ?, ?, ?, ?, ?, ?)";
  private static final String FIND = "UPDATE temp.moved SET found = 1, old_inode = e.inode"
      + " FROM main.entries AS e WHERE e.name = moved.name AND e.type = 'f'";
  private static final String HAS_XATTRS = "SELECT EXISTS (SELECT 1 FROM main.xattrs_pwd)";
  /** The moved files' xattr rows, keyed by their new inodes. */
  private static final String KEEP_XATTRS = "CREATE TEMP TABLE moved_xattrs AS"
      + " SELECT m.inode AS inode, x.name AS name, x.value AS value FROM temp.moved AS m"
      + " JOIN main.xattrs_pwd AS x ON x.inode = m.old_inode WHERE m.found = 1";
  /** Old-inode rows, unless a hard link left in place (or the directory) still has it. */
  private static final String DROP_OLD_XATTRS = "DELETE FROM main.xattrs_pwd"
      + " WHERE inode IN (SELECT old_inode FROM temp.moved WHERE found = 1)"
      + " AND inode NOT IN (SELECT e.inode FROM main.entries AS e"
      + " WHERE e.name NOT IN (SELECT name FROM temp.moved WHERE found = 1))"
      + " AND inode NOT IN (SELECT inode FROM main.summary)";
  private static final String ADD_NEW_XATTRS = "INSERT INTO main.xattrs_pwd(inode, name, value)"
      + " SELECT inode, name, value FROM temp.moved_xattrs";
  private static final String UPDATE_ENTRIES = "UPDATE main.entries SET inode = m.inode,"
      + " ctime = m.ctime, ossint1 = m.pool_id, ossint2 = m.moved_at, osstext1 = m.pool,"
      + " osstext2 = m.run FROM temp.moved AS m"
      + " WHERE entries.name = m.name AND entries.type = 'f'";
  private static final String MISSING = "SELECT name FROM temp.moved WHERE found = 0"
      + " ORDER BY rowid";

  private DirectoryDbUpdate() {}

  /**
   * Records {@code moves} (by stored name) in {@code db}; on any error the transaction is
   * rolled back and the error thrown.
   */
  static Outcome run(Path db, Map<String, IndexWriteBack.Move> moves, Duration busyTimeout)
      throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, busyTimeout.toMillis()));
    config.setTempStore(SQLiteConfig.TempStore.MEMORY);
    try (Connection c = config.createConnection("jdbc:sqlite:" + uri(db));
        Statement s = c.createStatement()) {
      s.execute(MOVED);
      try (PreparedStatement insert = c.prepareStatement(INSERT_MOVED)) {
        for (Map.Entry<String, IndexWriteBack.Move> e : moves.entrySet()) {
          IndexWriteBack.Move m = e.getValue();
          insert.setString(1, e.getKey());
          insert.setString(2, m.newInode());
          insert.setLong(3, m.ctime());
          insert.setInt(4, m.poolId());
          insert.setLong(5, m.movedAt());
          insert.setString(6, m.pool());
          insert.setString(7, m.run());
          insert.addBatch();
        }
        insert.executeBatch();
      }
      // IMMEDIATE takes the write lock now (waiting up to the busy timeout for another
      // writer), so the transaction never fails half-way for want of it.
      s.execute("BEGIN IMMEDIATE");
      try {
        s.executeUpdate(FIND);
        if (hasXattrs(s)) {
          s.execute(KEEP_XATTRS);
          s.executeUpdate(DROP_OLD_XATTRS);
          s.executeUpdate(ADD_NEW_XATTRS);
        }
        long rows = s.executeUpdate(UPDATE_ENTRIES);
        s.executeUpdate(summaryUpdate());
        List<String> missing = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(MISSING)) {
          while (rs.next()) {
            missing.add(rs.getString(1));
          }
        }
        s.execute("COMMIT");
        return new Outcome(rows, missing);
      } catch (SQLException | RuntimeException e) {
        rollBack(s);
        throw e;
      }
    }
  }

  private static boolean hasXattrs(Statement s) throws SQLException {
    try (ResultSet rs = s.executeQuery(HAS_XATTRS)) {
      return rs.next() && rs.getInt(1) == 1;
    }
  }

  /**
   * The directory's own summary row ({@code isroot = 1, rectype = 0}) recomputed over its
   * entries for the columns a move changes, with GUFI's sentinels for none.
   */
  static String summaryUpdate() {
    List<String> targets = new ArrayList<>();
    List<String> values = new ArrayList<>();
    for (String c : AGGREGATED) {
      targets.add("min" + c);
      targets.add("max" + c);
      targets.add("tot" + c);
      values.add("coalesce(min(" + c + "), 9223372036854775807)");
      values.add("coalesce(max(" + c + "), -9223372036854775807 - 1)");
      values.add("coalesce(sum(" + c + "), 0)");
    }
    return "UPDATE main.summary SET (" + String.join(", ", targets) + ") = (SELECT "
        + String.join(", ", values) + " FROM main.entries) WHERE isroot = 1 AND rectype = 0";
  }

  /** Ends the transaction if SQLite has not already (a failed BEGIN leaves none open). */
  private static void rollBack(Statement s) {
    try {
      s.execute("ROLLBACK");
    } catch (SQLException ignored) {
      // no transaction was open: the error being thrown says what went wrong
    }
  }

  /** A read-write SQLite URI that does not create the file; URI metacharacters escaped. */
  static String uri(Path db) {
    return fileUri(db) + "?mode=rw";
  }

  static String fileUri(Path db) {
    StringBuilder b = new StringBuilder("file:");
    for (char c : db.toString().toCharArray()) {
      switch (c) {
        case '?' -> b.append("%3f");
        case '#' -> b.append("%23");
        case '%' -> b.append("%25");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
