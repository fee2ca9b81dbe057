package io.tierdex.index;

import static io.tierdex.sqlite.SqliteFormat.get4;

import io.tierdex.sqlite.SqliteFormatException;
import io.tierdex.sqlite.SqlitePages;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The empty template database as SQLite built it, read just far enough to add rows to
 * it without SQLite: the page geometry from the header and each table's root page from
 * {@code sqlite_schema}. Templates in a format the page writer does not reproduce
 * (another text encoding, an older schema format, auto-vacuum, WAL) are refused here
 * rather than producing files SQLite would misread.
 */
final class DbTemplate {
  private final byte[] image;
  private final int pageSize;
  private final int usableSize;
  private final int pageCount;
  private final SqlitePages schema;
  private final Map<String, Integer> tableRoots = new HashMap<>();

  private DbTemplate(byte[] image) {
    this.image = image;
    this.schema = schema(image); // checks the magic string and the page geometry
    pageSize = schema.pageSize();
    usableSize = schema.usable();
    // Legacy rollback-journal file (not WAL), as written with journal_mode=OFF.
    require(image[18] == 1 && image[19] == 1, "file format versions " + image[18] + "/" + image[19]);
    require(image[21] == 64 && image[22] == 32 && image[23] == 32, "payload fractions");
    // Format 4 is what lets integers 0 and 1 take no body bytes (serial types 8 and 9).
    require(get4(image, 44) == 4, "schema format " + get4(image, 44));
    require(get4(image, 56) == 1, "text encoding " + get4(image, 56) + " (only UTF-8)");
    // Auto-vacuum files need pointer-map pages the writer does not keep.
    require(get4(image, 52) == 0, "auto-vacuum");
    pageCount = get4(image, 28);
    require(get4(image, 24) == get4(image, 92) && (long) pageCount * pageSize == image.length,
        "header page count " + pageCount + " for " + image.length + " bytes");
  }

  private static SqlitePages schema(byte[] image) {
    try {
      return SqlitePages.of(image);
    } catch (SqliteFormatException e) {
      throw unsupported(e.getMessage());
    }
  }

  /** Reads a template image, failing with the reason when its format is not supported. */
  static DbTemplate parse(byte[] image) {
    return new DbTemplate(image.clone());
  }

  /** The template's bytes; callers copy, never write. */
  byte[] image() {
    return image;
  }

  int pageSize() {
    return pageSize;
  }

  /** Page size minus the reserved bytes at the end of every page. */
  int usableSize() {
    return usableSize;
  }

  int pageCount() {
    return pageCount;
  }

  /** The root page of a table the template's schema creates. */
  int rootPage(String table) {
    return tableRoots.computeIfAbsent(table, t -> {
      try {
        int root = schema.rootPage(t);
        if (root < 1) {
          throw new IllegalStateException("the template database has no table " + t);
        }
        return root;
      } catch (IOException e) {
        throw unsupported("sqlite_schema: " + e.getMessage());
      }
    });
  }

  private static void require(boolean ok, String what) {
    if (!ok) {
      throw unsupported(what);
    }
  }

  private static IllegalStateException unsupported(String what) {
    return new IllegalStateException("the db.db template is not in a format the page writer"
        + " supports: " + what);
  }
}
