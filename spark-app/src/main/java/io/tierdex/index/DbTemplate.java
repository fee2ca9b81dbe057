package io.tierdex.index;

import static io.tierdex.index.SqliteFormat.FILE_HEADER;
import static io.tierdex.index.SqliteFormat.INTERIOR_TABLE;
import static io.tierdex.index.SqliteFormat.LEAF_TABLE;
import static io.tierdex.index.SqliteFormat.get2;
import static io.tierdex.index.SqliteFormat.get4;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
  private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
  /** sqlite_schema pages nest far less deeply than this in any real database. */
  private static final int MAX_DEPTH = 20;

  private final byte[] image;
  private final int pageSize;
  private final int usableSize;
  private final int pageCount;
  private final Map<String, Integer> tableRoots = new HashMap<>();

  private DbTemplate(byte[] image) {
    this.image = image;
    if (image.length < FILE_HEADER
        || !Arrays.equals(image, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw unsupported("not an SQLite 3 database");
    }
    int size = get2(image, 16);
    pageSize = size == 1 ? 65536 : size;
    if (pageSize < 512 || Integer.bitCount(pageSize) != 1) {
      throw unsupported("page size " + size);
    }
    usableSize = pageSize - (image[20] & 0xFF);
    require(usableSize >= 480, "usable page size " + usableSize);
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
    readSchemaPage(1, 0);
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
    Integer root = tableRoots.get(table);
    if (root == null) {
      throw new IllegalStateException("the template database has no table " + table);
    }
    return root;
  }

  private void readSchemaPage(int page, int depth) {
    require(page >= 1 && page <= pageCount && depth < MAX_DEPTH,
        "sqlite_schema page " + page + " at depth " + depth);
    int base = offset(page);
    int hdr = base + (page == 1 ? FILE_HEADER : 0);
    int type = image[hdr];
    int cells = get2(image, hdr + 3);
    if (type == INTERIOR_TABLE) {
      for (int i = 0; i < cells; i++) {
        readSchemaPage(get4(image, base + get2(image, hdr + 12 + 2 * i)), depth + 1);
      }
      readSchemaPage(get4(image, hdr + 8), depth + 1);
    } else if (type == LEAF_TABLE) {
      for (int i = 0; i < cells; i++) {
        readSchemaRow(base + get2(image, hdr + 8 + 2 * i));
      }
    } else {
      throw unsupported("sqlite_schema page " + page + " has type " + type);
    }
  }

  /** One sqlite_schema row: (type, name, tbl_name, rootpage, sql). */
  private void readSchemaRow(int cell) {
    Cursor c = new Cursor(image, cell);
    long payload = c.varint();
    c.varint(); // rowid
    byte[] record = payload(c.pos, (int) payload);
    Cursor r = new Cursor(record, 0);
    int headerEnd = (int) r.varint();
    long[] types = new long[5];
    for (int i = 0; i < types.length && r.pos < headerEnd; i++) {
      types[i] = r.varint();
    }
    int body = headerEnd;
    String kind = null;
    String name = null;
    long root = 0;
    for (int i = 0; i < 4; i++) {
      long t = types[i];
      int len = serialLength(t);
      if (i == 0 && t >= 13 && t % 2 == 1) {
        kind = new String(record, body, len, StandardCharsets.UTF_8);
      } else if (i == 1 && t >= 13 && t % 2 == 1) {
        name = new String(record, body, len, StandardCharsets.UTF_8);
      } else if (i == 3) {
        root = integer(record, body, t);
      }
      body += len;
    }
    if ("table".equals(kind) && name != null) {
      tableRoots.put(name, (int) root);
    }
  }

  /** The whole payload of a table-leaf cell, following its overflow pages. */
  private byte[] payload(int at, int size) {
    byte[] out = new byte[size];
    int local = SqliteFormat.localPayload(size, usableSize);
    System.arraycopy(image, at, out, 0, local);
    int done = local;
    int next = local < size ? get4(image, at + local) : 0;
    while (done < size) {
      require(next >= 1 && next <= pageCount, "overflow page " + next);
      int n = Math.min(usableSize - 4, size - done);
      System.arraycopy(image, offset(next) + 4, out, done, n);
      done += n;
      next = get4(image, offset(next));
    }
    return out;
  }

  private static int serialLength(long type) {
    if (type >= 12) {
      return (int) ((type - 12) / 2);
    }
    return switch ((int) type) {
      case 1, 2, 3, 4 -> (int) type;
      case 5 -> 6;
      case 6, 7 -> 8;
      default -> 0; // NULL, 0, 1
    };
  }

  private static long integer(byte[] a, int off, long type) {
    if (type == 8 || type == 9) {
      return type - 8;
    }
    if (type < 1 || type > 6) {
      return 0;
    }
    int len = serialLength(type);
    long v = a[off]; // sign-extended
    for (int i = 1; i < len; i++) {
      v = v << 8 | (a[off + i] & 0xFF);
    }
    return v;
  }

  private int offset(int page) {
    return (page - 1) * pageSize;
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

  /** Reads varints forward through a byte array. */
  private static final class Cursor {
    private final byte[] a;
    int pos;

    Cursor(byte[] a, int pos) {
      this.a = a;
      this.pos = pos;
    }

    long varint() {
      long v = 0;
      for (int i = 0; i < 8; i++) {
        int b = a[pos++];
        v = v << 7 | (b & 0x7F);
        if ((b & 0x80) == 0) {
          return v;
        }
      }
      return v << 8 | (a[pos++] & 0xFF);
    }
  }
}
