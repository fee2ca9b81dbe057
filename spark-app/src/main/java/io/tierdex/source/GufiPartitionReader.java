package io.tierdex.source;

import io.tierdex.gufi.GufiText;
import io.tierdex.sqlite.SqliteFormatException;
import io.tierdex.sqlite.SqlitePages;
import io.tierdex.sqlite.SqliteRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.unsafe.types.UTF8String;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteOpenMode;

/**
 * Reads one task's db.db files. The tables {@link NativeFileRows} serves are decoded in
 * Java; the other views, pushed aggregations and files the decoder leaves to SQLite go
 * through a single in-memory SQLite connection that attaches each file read-only in turn
 * (cheaper than a connection per file). A file that is not SQLite, is damaged or lacks
 * the table is reported with its path and skipped, or fails the task when the scan is
 * strict.
 */
final class GufiPartitionReader implements PartitionReader<InternalRow> {
  private final ReadPlan plan;
  private final Iterator<DbFile> files;
  private SQLiteConnection db;
  private PreparedStatement attach;
  private Statement detach;
  private Statement query;
  private final Slot[] slots;
  /** The 1-based SQL column naming a rolled-up row's directory, or 0. */
  private final int rolledColumn;
  private DbFile file;
  private ResultSet rows;
  private SqlitePages pages;
  /** The table as the Java reader serves it (null when SQLite reads everything). */
  private final NativeFileRows.Kind kind;
  /** The last row's directory, converted once for all rows that share it. */
  private String pathText;
  private UTF8String path;
  /** The last whole-file read buffer, reused for the next file. */
  private byte[] buffer;
  private NativeFileRows decoded;
  private UTF8String dir;
  private InternalRow current;
  private long filesRead;
  private long skipped;

  /**
   * Where output column i comes from: a SQL column (1-based), a stored column for the
   * Java reader (0-based), or the row's path/level.
   */
  private record Slot(int sqlIndex, int column, DataType type, boolean quoted, boolean path,
      boolean level) {}

  GufiPartitionReader(ReadPlan plan, List<DbFile> files) {
    this.plan = plan;
    this.files = files.iterator();
    this.slots = slots(plan);
    this.rolledColumn = plan.selectNames().indexOf(GufiTables.ROLLED) + 1;
    this.kind = plan.javaReader() ? NativeFileRows.Kind.of(plan.table()) : null;
  }

  private static Slot[] slots(ReadPlan plan) {
    StructField[] fields = plan.output().fields();
    Slot[] out = new Slot[fields.length];
    for (int i = 0; i < fields.length; i++) {
      String name = fields[i].name();
      out[i] = new Slot(plan.selectNames().indexOf(name) + 1, plan.tableColumns().indexOf(name),
          fields[i].dataType(), GufiTables.QUOTED.contains(name), name.equals(GufiTables.PATH),
          name.equals(GufiTables.LEVEL));
    }
    return out;
  }

  /** The SQLite connection, opened only once a file needs it. */
  private SQLiteConnection sqlite() throws SQLException {
    if (db == null) {
      SQLiteConfig config = new SQLiteConfig();
      config.setOpenMode(SQLiteOpenMode.OPEN_URI);
      config.setGetGeneratedKeys(false);
      db = (SQLiteConnection) config.createConnection("jdbc:sqlite::memory:");
      attach = db.prepareStatement("ATTACH DATABASE ? AS g");
      detach = db.createStatement();
    }
    return db;
  }

  @Override
  public boolean next() throws IOException {
    try {
      while (true) {
        if (decoded != null) {
          if (advanceDecoded()) {
            return true;
          }
          closeDecoded();
        }
        if (rows != null) {
          if (advance()) {
            return true;
          }
          closeFile();
        }
        if (!files.hasNext()) {
          return false;
        }
        DbFile next = files.next();
        if (kind == null || !openDecoded(next)) {
          openFile(next);
        }
      }
    } catch (SQLException e) {
      throw new IOException("gufi: " + e.getMessage(), e);
    }
  }

  /** Opens a file for the Java decoder; false when it must go through SQLite instead. */
  private boolean openDecoded(DbFile f) throws IOException {
    file = f;
    try {
      pages = SqlitePages.open(Path.of(f.db()), buffer);
      decoded = new NativeFileRows(pages, kind, plan.predicate(), f);
      filesRead++;
      return true;
    } catch (SqliteFormatException.Unsupported e) {
      closeDecoded();
      return false;
    } catch (IOException | RuntimeException e) {
      filesRead++;
      closeDecoded();
      damaged(e);
      return true;
    }
  }

  private boolean advanceDecoded() throws IOException {
    try {
      if (!decoded.next()) {
        return false;
      }
      current = decodedRow();
      return true;
    } catch (IOException | RuntimeException e) {
      damaged(e); // e.g. a corrupt page met half-way through: the rows so far stay
      return false;
    }
  }

  private void closeDecoded() throws IOException {
    decoded = null;
    if (pages != null) {
      if (pages.buffer() != null && pages.buffer().length <= 1 << 20) {
        buffer = pages.buffer(); // a huge one goes back to the heap
      }
      pages.close();
      pages = null;
    }
  }

  private InternalRow decodedRow() {
    NativeRow r = decoded.row();
    Object[] values = new Object[slots.length];
    for (int i = 0; i < slots.length; i++) {
      Slot s = slots[i];
      if (s.path()) {
        values[i] = path(decoded.path());
      } else if (s.level()) {
        values[i] = decoded.level();
      } else if (r.storageClass(s.column()) == SqliteRecord.StorageClass.NULL) {
        values[i] = null;
      } else if (s.type() == DataTypes.LongType) {
        values[i] = r.getLong(s.column());
      } else if (s.type() == DataTypes.StringType) {
        String v = r.getString(s.column());
        values[i] = UTF8String.fromString(s.quoted() ? GufiText.unquote(v) : v);
      } else {
        values[i] = r.getBytes(s.column());
      }
    }
    return new GenericInternalRow(values);
  }

  private UTF8String path(String text) {
    if (text != pathText) { // rows of one directory share one String
      pathText = text;
      path = UTF8String.fromString(text);
    }
    return path;
  }

  private boolean advance() throws SQLException {
    try {
      if (!rows.next()) {
        return false;
      }
      current = row();
      return true;
    } catch (SQLException e) {
      damaged(e); // e.g. a corrupt page met half-way through: the rows so far stay
      return false;
    }
  }

  private void openFile(DbFile f) throws SQLException {
    file = f;
    filesRead++;
    dir = UTF8String.fromString(f.dir());
    sqlite();
    try {
      attach.setString(1, uri(f.db()));
      attach.execute();
    } catch (SQLException e) {
      attach.close(); // sqlite-jdbc leaves a failed statement unusable
      attach = db.prepareStatement("ATTACH DATABASE ? AS g");
      damaged(e);
      return;
    }
    try {
      query = db.createStatement(); // a statement that failed once is not reusable
      rows = query.executeQuery(plan.sql());
    } catch (SQLException e) {
      query.close();
      if (!(plan.optionalTable() && e.getMessage().contains("no such table"))) {
        damaged(e);
      }
      detach();
    }
  }

  private void closeFile() throws SQLException {
    rows.close();
    query.close();
    rows = null;
    detach();
  }

  private void detach() throws SQLException {
    detach.execute("DETACH DATABASE g");
  }

  private InternalRow row() throws SQLException {
    Object[] values = new Object[slots.length];
    String rolled = rolledColumn > 0 ? rows.getString(rolledColumn) : null;
    for (int i = 0; i < slots.length; i++) {
      Slot s = slots[i];
      if (s.path()) {
        values[i] = rolled == null ? dir
            : UTF8String.fromString(NativeFileRows.rolledPath(file, rolled));
      } else if (s.level()) {
        values[i] = NativeFileRows.rolledLevel(file, rolled);
      } else {
        values[i] = value(s);
      }
    }
    return new GenericInternalRow(values);
  }

  private Object value(Slot s) throws SQLException {
    if (s.type() == DataTypes.LongType) {
      long v = rows.getLong(s.sqlIndex());
      return rows.wasNull() ? null : v;
    } else if (s.type() == DataTypes.StringType) {
      String v = rows.getString(s.sqlIndex());
      return v == null ? null : UTF8String.fromString(s.quoted() ? GufiText.unquote(v) : v);
    }
    return rows.getBytes(s.sqlIndex());
  }

  /** Reports a db.db that cannot be read; fatal when the user asked for strict reads. */
  private void damaged(Exception e) {
    String problem = e instanceof RuntimeException && !(e instanceof UncheckedIOException)
        ? "damaged SQLite structure (" + e + ")" : e.getMessage();
    if (plan.strict()) {
      throw new UncheckedIOException(new IOException("gufi: cannot read " + file.db() + ": "
          + problem + " (fix or re-index that directory, or drop strict=true to skip it)",
          e));
    }
    String message = "gufi: skipping " + file.db() + ": " + problem
        + " (fix or re-index that directory; option strict=true makes this fatal)";
    System.err.println("WARN " + message);
    skipped++;
  }

  /** A read-only, immutable SQLite URI: no locks and no journal, as GUFI reads. */
  static String uri(String path) {
    StringBuilder b = new StringBuilder("file:");
    for (char c : path.toCharArray()) {
      switch (c) {
        case '?' -> b.append("%3f");
        case '#' -> b.append("%23");
        case '%' -> b.append("%25");
        default -> b.append(c);
      }
    }
    return b.append("?mode=ro&immutable=1").toString();
  }

  @Override
  public CustomTaskMetric[] currentMetricsValues() {
    return new CustomTaskMetric[] {
        ScanMetrics.task(ScanMetrics.FILES, filesRead), ScanMetrics.task(ScanMetrics.SKIPPED, skipped)};
  }

  @Override
  public InternalRow get() {
    return current;
  }

  @Override
  public void close() throws IOException {
    try {
      closeDecoded();
      if (rows != null) {
        rows.close();
        detach();
      }
      if (db != null) {
        db.close();
      }
    } catch (SQLException e) {
      throw new IOException("gufi: closing SQLite: " + e.getMessage(), e);
    }
  }
}
