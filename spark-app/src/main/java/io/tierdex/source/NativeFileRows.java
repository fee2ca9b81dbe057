package io.tierdex.source;

import io.tierdex.gufi.GufiText;
import io.tierdex.sqlite.SqliteFormatException;
import io.tierdex.sqlite.SqlitePages;
import io.tierdex.sqlite.SqliteRecord;
import io.tierdex.sqlite.TableRows;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The rows one db.db holds for one of the tables the Java decoder serves, with each
 * row's directory and level. Views are evaluated as their SQL defines them:
 * {@code pentries} is {@code entries} plus the directory's inode and its parent's
 * (from the summary row with {@code isroot = 1}), followed by {@code pentries_rollup}.
 *
 * <p>Rolled-up directories ({@code gufi_rollup}) hold their descendants' rows; such a row
 * reports the directory it came from, found through its summary row as GUFI's
 * {@code rpath(sname, sroll)} does: the rolled-up directory's parent path joined with the
 * summary row's relative name.
 */
final class NativeFileRows {
  /** The tables read without SQLite; the other views go through SQLite. */
  enum Kind {
    ENTRIES, SUMMARY, PENTRIES, PENTRIES_ROLLUP;

    static Kind of(String table) {
      return switch (table.toLowerCase(Locale.ROOT)) {
        case "entries" -> ENTRIES;
        case "summary" -> SUMMARY;
        case "pentries" -> PENTRIES;
        case "pentries_rollup" -> PENTRIES_ROLLUP;
        default -> null;
      };
    }
  }

  private static final int ENTRIES_COLUMNS = 22;
  private static final int ROLLUP_PINODE = 22;

  private final SqlitePages pages;
  private final Kind kind;
  private final RowPredicate predicate;
  private final DbFile file;
  private final NativeRow row = new NativeRow();
  private final DirSummary summary;
  private TableRows rows;
  private boolean inRollup;
  private byte[][] extra = new byte[0][];
  private int stored;
  private String path;
  private int level;

  NativeFileRows(SqlitePages pages, Kind kind, RowPredicate predicate, DbFile file)
      throws IOException {
    this.pages = pages;
    this.kind = kind;
    this.predicate = predicate;
    this.file = file;
    this.summary = kind == Kind.PENTRIES || kind == Kind.PENTRIES_ROLLUP
        ? DirSummary.read(pages) : null;
    switch (kind) {
      case ENTRIES -> start("entries", ENTRIES_COLUMNS, false);
      case SUMMARY -> start("summary", DirSummary.COLUMNS, false);
      case PENTRIES -> {
        if (summary.rootInode() == null) {
          startRollup(); // the view joins entries to the isroot row: none, no entries rows
        } else {
          extra = new byte[][] {summary.rootInode(), summary.rootPinode()};
          start("entries", ENTRIES_COLUMNS, false);
        }
      }
      case PENTRIES_ROLLUP -> startRollup();
    }
  }

  private void startRollup() throws IOException {
    extra = new byte[0][];
    inRollup = true;
    start("pentries_rollup", ENTRIES_COLUMNS + 2, true);
  }

  private void start(String table, int columns, boolean optional) throws IOException {
    int root = pages.rootPage(table);
    stored = columns;
    if (root < 0) {
      if (!optional) {
        throw new SqliteFormatException("no such table: " + table);
      }
      rows = null;
      return;
    }
    rows = new TableRows(pages, root);
  }

  /** Moves to the next row that passes the pushed filters. */
  boolean next() throws IOException {
    while (true) {
      if (rows != null && rows.next()) {
        row.set(rows.record(), stored, extra);
        if (predicate == null || predicate.accepts(row)) {
          locate();
          return true;
        }
        continue;
      }
      if (kind == Kind.PENTRIES && !inRollup) {
        startRollup();
        continue;
      }
      return false;
    }
  }

  NativeRow row() {
    return row;
  }

  String path() {
    return path;
  }

  int level() {
    return level;
  }

  /** The directory and level of the current row. */
  private void locate() {
    String rolled = null;
    if (kind == Kind.SUMMARY && row.getLong(DirSummary.ISROOT) != 1) {
      rolled = row.getString(0);
    } else if (inRollup && summary != null) {
      rolled = summary.nameOf(row.getString(ROLLUP_PINODE));
    }
    path = rolledPath(file, rolled);
    level = rolledLevel(file, rolled);
  }

  /**
   * The directory of a row that a rolled-up db.db holds for a descendant: GUFI's
   * {@code rpath(sname, sroll)}, the current directory's parent joined with the summary
   * row's relative name (which starts with the current directory's own name). A null
   * name means the row is the current directory's own.
   */
  static String rolledPath(DbFile file, String quotedName) {
    if (quotedName == null) {
      return file.dir();
    }
    int slash = file.dir().lastIndexOf('/');
    return (slash < 0 ? "" : file.dir().substring(0, slash + 1)) + GufiText.unquote(quotedName);
  }

  /** The level of such a row: one more per component of the relative name past the first. */
  static int rolledLevel(DbFile file, String quotedName) {
    if (quotedName == null) {
      return file.level();
    }
    return file.level() + (int) quotedName.chars().filter(c -> c == '/').count();
  }

  /** What the reader needs from a directory's summary table. */
  record DirSummary(byte[] rootInode, byte[] rootPinode, Map<String, String> names) {
    static final int COLUMNS = 66;
    static final int INODE = 2;
    static final int PINODE = 62;
    static final int ISROOT = 63;
    static final int CANROLLUP = 64;
    static final int ISROLLEDUP = 65;

    /**
     * gufi_query's test for not descending: the directory's own summary row has
     * {@code canrollup} and {@code isrolledup} set. A file that cannot be read counts as
     * not rolled up; the scan reports it when it reads it.
     */
    static boolean isRolledUp(Path db) {
      try (SqlitePages pages = SqlitePages.open(db, 0)) { // a few pages, not the whole file
        int root = pages.rootPage("summary");
        if (root < 0) {
          return false;
        }
        try (TableRows rows = new TableRows(pages, root)) {
          while (rows.next()) {
            SqliteRecord r = rows.record();
            if (r.getLong(ISROOT) == 1) {
              return r.getLong(CANROLLUP) != 0 && r.getLong(ISROLLEDUP) != 0;
            }
          }
        }
      } catch (IOException | RuntimeException e) {
        return false;
      }
      return false;
    }

    static DirSummary read(SqlitePages pages) throws IOException {
      int root = pages.rootPage("summary");
      if (root < 0) {
        throw new SqliteFormatException("no such table: summary");
      }
      byte[] inode = null;
      byte[] pinode = null;
      Map<String, String> names = new HashMap<>();
      try (TableRows rows = new TableRows(pages, root)) {
        while (rows.next()) {
          SqliteRecord r = rows.record();
          if (r.getLong(ISROOT) == 1) {
            if (inode == null) {
              inode = bytes(r.getString(INODE));
              pinode = bytes(r.getString(PINODE));
            }
          } else {
            names.put(r.getString(INODE), r.getString(0));
          }
        }
      }
      return new DirSummary(inode, pinode, names);
    }

    private static byte[] bytes(String s) {
      return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    String nameOf(String inode) {
      return inode == null ? null : names.get(inode);
    }
  }
}
