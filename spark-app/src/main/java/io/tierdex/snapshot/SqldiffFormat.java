package io.tierdex.snapshot;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A change set as {@code sqldiff --primarykey} would print it for two flattened entries
 * tables, {@value #TABLE}: DELETE for a removed path, INSERT for an added one, UPDATE of
 * the changed columns for the rest (a rename is a DELETE plus an INSERT, a replaced or
 * migrated file an UPDATE of its inode). Rows stream in path order, never collected.
 */
public final class SqldiffFormat {
  public static final String TABLE = "entries(path TEXT PRIMARY KEY, inode TEXT, type TEXT,"
      + " size INTEGER, mtime INTEGER, ctime INTEGER, mode INTEGER, uid INTEGER, gid INTEGER)";
  /** The table's columns after {@code path}, in its order. */
  public static final List<String> COLUMNS = List.of("inode", "type", "size", "mtime", "ctime",
      "mode", "uid", "gid");

  private SqldiffFormat() {}

  public static long print(Dataset<Row> changes, PrintStream out) {
    out.println("-- tierdex diff as sqldiff --primarykey output over " + TABLE);
    long n = 0;
    Iterator<Row> rows = changes.orderBy("path").toLocalIterator();
    while (rows.hasNext()) {
      Row r = rows.next();
      String kind = r.getAs("kind");
      String path = r.getAs("path");
      switch (ChangeKind.valueOf(kind)) {
        case ADDED -> out.println(insert(r));
        case REMOVED -> out.println(delete(path));
        case RENAMED -> {
          out.println(delete(r.getAs("old_path")));
          out.println(insert(r));
        }
        default -> out.println(update(r));
      }
      n++;
    }
    return n;
  }

  private static String insert(Row r) {
    List<String> values = new ArrayList<>();
    values.add(quote(r.getAs("path")));
    for (String c : COLUMNS) {
      values.add(literal(r.getAs(c)));
    }
    return "INSERT INTO entries(path," + String.join(",", COLUMNS) + ") VALUES("
        + String.join(",", values) + ");";
  }

  private static String delete(String path) {
    return "DELETE FROM entries WHERE path=" + quote(path) + ";";
  }

  private static String update(Row r) {
    List<String> sets = new ArrayList<>();
    for (String c : COLUMNS) {
      Object now = r.getAs(c);
      Object before = r.getAs("old_" + c);
      if (now == null ? before != null : !now.equals(before)) {
        sets.add(c + "=" + literal(now));
      }
    }
    return "UPDATE entries SET " + String.join(", ", sets) + " WHERE path="
        + quote(r.getAs("path")) + ";";
  }

  private static String literal(Object v) {
    return v == null ? "NULL" : v instanceof String s ? quote(s) : v.toString();
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "''") + "'";
  }
}
