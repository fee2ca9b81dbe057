package io.tierdex.sqlite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The current row of a {@link TableRows} walk, decoded lazily: the record header once per
 * row, a column's bytes only when asked for. Values convert between types as SQLite's
 * {@code sqlite3_column_int64}/{@code _text}/{@code _blob} would, so the reader returns
 * what it returned through SQLite.
 */
public final class SqliteRecord {
  private static final int MAX_COLUMNS = 256;

  private final SqlitePages pages;
  private byte[] bytes;
  private int start;
  private int length;
  private final int[] types = new int[MAX_COLUMNS];
  private final int[] offsets = new int[MAX_COLUMNS];
  private int columns;

  SqliteRecord(SqlitePages pages) {
    this.pages = pages;
  }

  /** Decodes the leaf-table cell at {@code cell} of page {@code p}. */
  void load(SqlitePages.Page p, int cell) throws IOException {
    byte[] b = p.bytes();
    int pos = p.base() + cell;
    long payload = SqliteFormat.readVarint(b, pos);
    pos += SqliteFormat.varintSize(b, pos);
    pos += SqliteFormat.varintSize(b, pos); // the rowid: GUFI tables have no INTEGER PRIMARY KEY
    int u = pages.usable();
    int maxLocal = u - 35;
    if (payload <= maxLocal) {
      checkInPage(p, pos, (int) payload);
      bytes = b;
      start = pos;
      length = (int) payload;
    } else {
      if (payload > Integer.MAX_VALUE - 8) {
        throw new SqliteFormatException("row of " + payload + " bytes");
      }
      int local = SqliteFormat.localPayload((int) payload, u);
      checkInPage(p, pos, local + 4);
      bytes = assemble(b, pos, local, (int) payload, p.u32(pos - p.base() + local));
      start = 0;
      length = (int) payload;
    }
    parseHeader();
  }

  private void checkInPage(SqlitePages.Page p, int pos, int len) throws SqliteFormatException {
    if (pos - p.base() + len > pages.usable()) {
      throw new SqliteFormatException("row runs past the end of page " + p.number());
    }
  }

  /** Copies a row that spills onto overflow pages into one array. */
  private byte[] assemble(byte[] b, int pos, int local, int payload, long overflow)
      throws IOException {
    byte[] out = new byte[payload];
    System.arraycopy(b, pos, out, 0, local);
    int filled = local;
    long next = overflow;
    int chunk = pages.usable() - 4;
    int guard = 0;
    while (filled < payload) {
      if (next == 0 || ++guard > (payload / chunk) + 2) {
        throw new SqliteFormatException("overflow chain ends early");
      }
      SqlitePages.Page o = pages.page(next);
      int n = Math.min(chunk, payload - filled);
      System.arraycopy(o.bytes(), o.base() + 4, out, filled, n);
      filled += n;
      next = o.u32(0);
    }
    return out;
  }

  private void parseHeader() throws SqliteFormatException {
    int end = start + length;
    long headerSize = SqliteFormat.readVarint(bytes, start);
    int pos = start + SqliteFormat.varintSize(bytes, start);
    if (headerSize > length || headerSize < 1) {
      throw new SqliteFormatException("bad record header");
    }
    int headerEnd = start + (int) headerSize;
    int data = headerEnd;
    columns = 0;
    while (pos < headerEnd) {
      if (columns == MAX_COLUMNS) {
        throw new SqliteFormatException("record with over " + MAX_COLUMNS + " columns");
      }
      long t = SqliteFormat.readVarint(bytes, pos);
      pos += SqliteFormat.varintSize(bytes, pos);
      types[columns] = (int) Math.min(t, Integer.MAX_VALUE);
      offsets[columns] = data;
      data += SqliteFormat.serialLength(t);
      columns++;
    }
    if (data > end) {
      throw new SqliteFormatException("record values run past its end");
    }
  }

  /** A column past the end of the record is NULL (a column added by ALTER TABLE). */
  public boolean isNull(int i) {
    return i >= columns || types[i] == 0;
  }

  public long getLong(int i) {
    if (i >= columns) {
      return 0;
    }
    int t = types[i];
    if (t >= 1 && t <= 6) {
      return integer(offsets[i], SqliteFormat.serialLength(t));
    } else if (t == 7) {
      return (long) Double.longBitsToDouble(integer(offsets[i], 8));
    } else if (t == 8 || t == 0) {
      return 0;
    } else if (t == 9) {
      return 1;
    }
    return leadingInteger(offsets[i], SqliteFormat.serialLength(t));
  }

  /** Text as SQLite renders the value; null for NULL. */
  public String getString(int i) {
    if (isNull(i)) {
      return null;
    }
    int t = types[i];
    if (t >= 12) {
      return new String(bytes, offsets[i], SqliteFormat.serialLength(t), StandardCharsets.UTF_8);
    } else if (t == 7) {
      return realText(Double.longBitsToDouble(integer(offsets[i], 8)));
    }
    return Long.toString(getLong(i));
  }

  public byte[] getBytes(int i) {
    if (isNull(i)) {
      return null;
    }
    int t = types[i];
    if (t >= 12) {
      byte[] out = new byte[SqliteFormat.serialLength(t)];
      System.arraycopy(bytes, offsets[i], out, 0, out.length);
      return out;
    }
    return getString(i).getBytes(StandardCharsets.UTF_8);
  }

  /** SQLite's storage class of column i, which decides how it compares. */
  public StorageClass storageClass(int i) {
    int t = i < columns ? types[i] : 0;
    if (t == 0) {
      return StorageClass.NULL;
    } else if (t == 7) {
      return StorageClass.REAL;
    } else if (t < 12) {
      return StorageClass.INTEGER;
    }
    return (t & 1) == 1 ? StorageClass.TEXT : StorageClass.BLOB;
  }

  /** In SQLite's comparison order: NULL, numbers, text, blobs. */
  public enum StorageClass { NULL, INTEGER, REAL, TEXT, BLOB }

  public double getDouble(int i) {
    return types[i] == 7 ? Double.longBitsToDouble(integer(offsets[i], 8)) : getLong(i);
  }

  /** memcmp order of column i's text or blob bytes against {@code other} (BINARY collation). */
  public int compareBytes(int i, byte[] other) {
    int off = offsets[i];
    int n = SqliteFormat.serialLength(types[i]);
    int common = Math.min(n, other.length);
    for (int k = 0; k < common; k++) {
      int c = (bytes[off + k] & 0xFF) - (other[k] & 0xFF);
      if (c != 0) {
        return c;
      }
    }
    return n - other.length;
  }

  /** Whether column i's text or blob bytes begin with {@code prefix}. */
  public boolean startsWith(int i, byte[] prefix) {
    int n = SqliteFormat.serialLength(types[i]);
    if (n < prefix.length) {
      return false;
    }
    for (int k = 0; k < prefix.length; k++) {
      if (bytes[offsets[i] + k] != prefix[k]) {
        return false;
      }
    }
    return true;
  }

  private long integer(int off, int n) {
    long v = bytes[off]; // sign-extends the first byte
    for (int k = 1; k < n; k++) {
      v = (v << 8) | (bytes[off + k] & 0xFF);
    }
    return v;
  }

  /** SQLite's text-to-integer cast: the longest leading integer, else 0. */
  private long leadingInteger(int off, int n) {
    int p = off;
    int end = off + n;
    while (p < end && Character.isWhitespace(bytes[p])) {
      p++;
    }
    boolean negative = p < end && bytes[p] == '-';
    if (p < end && (bytes[p] == '-' || bytes[p] == '+')) {
      p++;
    }
    long v = 0;
    while (p < end && bytes[p] >= '0' && bytes[p] <= '9') {
      v = v * 10 + (bytes[p++] - '0');
    }
    return negative ? -v : v;
  }

  /** SQLite prints REAL values with 15 significant digits and always a decimal point. */
  private static String realText(double d) {
    String s = String.format("%.15g", d);
    if (s.contains("e")) {
      return s;
    }
    s = s.replaceAll("0+$", "");
    return s.endsWith(".") ? s + "0" : s;
  }
}
