package io.tierdex.bench;

import io.tierdex.snapshot.SqldiffFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Iterator;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A snapshot flattened into one SQLite table, {@link SqldiffFormat#TABLE}: what a site
 * without tierdex would feed {@code sqldiff --primarykey}. Rows stream in partition by
 * partition; the driver never holds the snapshot.
 */
public final class FlatEntries {
  private static final String[] COLUMNS = Stream.concat(Stream.of("path"),
      SqldiffFormat.COLUMNS.stream()).toArray(String[]::new);

  private FlatEntries() {}

  /** Writes {@code snapshot}'s rows into a new SQLite file {@code db}; returns the row count. */
  public static long write(Dataset<Row> snapshot, Path db) throws Exception {
    Files.deleteIfExists(db);
    long n = 0;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode = OFF");
        s.execute("PRAGMA synchronous = OFF");
        s.execute("CREATE TABLE " + SqldiffFormat.TABLE);
      }
      c.setAutoCommit(false);
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO entries VALUES"
          + " (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        Iterator<Row> rows = snapshot.selectExpr(COLUMNS).toLocalIterator();
        while (rows.hasNext()) {
          bind(insert, rows.next());
          insert.addBatch();
          if (++n % 10_000 == 0) {
            insert.executeBatch();
          }
        }
        insert.executeBatch();
      }
      c.commit();
    }
    return n;
  }

  private static void bind(PreparedStatement p, Row r) throws SQLException {
    for (int i = 0; i < COLUMNS.length; i++) {
      Object v = r.get(i);
      if (v == null) {
        p.setNull(i + 1, java.sql.Types.NULL);
      } else if (v instanceof Long l) {
        p.setLong(i + 1, l);
      } else {
        p.setString(i + 1, v.toString());
      }
    }
  }
}
