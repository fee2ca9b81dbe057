package io.tierdex.sqlite;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The pages of one SQLite database file, read-only, decoded in Java.
 *
 * <p>Why not SQLite itself: opening or attaching a db.db makes SQLite parse all 17
 * statements of the GUFI schema (about 300 us), several times the cost of reading the
 * rows of a typical directory. Here the schema table is read for its root page numbers
 * only. Files up to {@link #WHOLE_FILE} bytes are read in one call; larger ones page by
 * page, so a huge directory never sits in memory whole.
 *
 * <p>What is not supported (UTF-16 text, a WAL-mode file whose log may hold newer pages)
 * raises {@link SqliteFormatException.Unsupported}; the caller reads such a file through
 * SQLite instead.
 */
public final class SqlitePages implements AutoCloseable {
  public static final int WHOLE_FILE = 4 << 20;
  private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

  private final RandomAccessFile file;
  private final byte[] whole;
  private final int pageSize;
  private final int usable;
  private final long pageCount;
  private Map<String, Integer> roots;

  /** One page: its bytes start at {@code base} in {@code bytes}. */
  record Page(int number, byte[] bytes, int base) {
    int u8(int off) {
      return bytes[base + off] & 0xFF;
    }

    int u16(int off) {
      return (u8(off) << 8) | u8(off + 1);
    }

    long u32(int off) {
      return ((long) u8(off) << 24) | (u8(off + 1) << 16) | (u8(off + 2) << 8) | u8(off + 3);
    }
  }

  private SqlitePages(RandomAccessFile file, byte[] whole, byte[] header, long length)
      throws SqliteFormatException {
    this.file = file;
    this.whole = whole;
    if (length < 100 || !startsWithMagic(header)) {
      throw new SqliteFormatException("not a SQLite database");
    }
    int size = ((header[16] & 0xFF) << 8) | (header[17] & 0xFF);
    this.pageSize = size == 1 ? 65536 : size;
    if (pageSize < 512 || Integer.bitCount(pageSize) != 1) {
      throw new SqliteFormatException("bad page size " + size);
    }
    this.usable = pageSize - (header[20] & 0xFF);
    if (usable < 480) {
      throw new SqliteFormatException("bad reserved space " + (header[20] & 0xFF));
    }
    if (header[18] == 2 || header[19] == 2) {
      throw new SqliteFormatException.Unsupported("WAL mode");
    }
    int encoding = ((header[56] & 0xFF) << 24) | ((header[57] & 0xFF) << 16)
        | ((header[58] & 0xFF) << 8) | (header[59] & 0xFF);
    if (encoding > 1) {
      throw new SqliteFormatException.Unsupported("UTF-16 text encoding");
    }
    this.pageCount = length / pageSize;
  }

  public static SqlitePages open(Path path) throws IOException {
    return open(path, WHOLE_FILE, null);
  }

  /** Reads files up to {@code wholeFile} bytes at once, larger ones page by page. */
  public static SqlitePages open(Path path, int wholeFile) throws IOException {
    return open(path, wholeFile, null);
  }

  /**
   * Like {@link #open(Path)}, reading into {@code reuse} when it is big enough: a reader
   * going through many files saves allocating and zeroing a buffer per file. Pass
   * {@link #buffer()} of the previous file, once done with it.
   */
  public static SqlitePages open(Path path, byte[] reuse) throws IOException {
    return open(path, WHOLE_FILE, reuse);
  }

  private static SqlitePages open(Path path, int wholeFile, byte[] reuse) throws IOException {
    // RandomAccessFile: FileChannel.open costs more than the read of a small db.db.
    RandomAccessFile file = new RandomAccessFile(path.toFile(), "r");
    try {
      long length = file.length();
      if (length <= wholeFile) {
        byte[] all = reuse != null && reuse.length >= length ? reuse : new byte[(int) length];
        file.readFully(all, 0, (int) length);
        file.close();
        return new SqlitePages(null, all, all, length);
      }
      byte[] header = new byte[100];
      file.readFully(header);
      return new SqlitePages(file, null, header, length);
    } catch (IOException | RuntimeException e) {
      file.close();
      throw e;
    }
  }

  /** A database image already in memory, such as a template. */
  public static SqlitePages of(byte[] image) throws SqliteFormatException {
    return new SqlitePages(null, image, image, image.length);
  }

  /** The array a whole-file read went into (null when reading page by page). */
  public byte[] buffer() {
    return whole;
  }

  public int pageSize() {
    return pageSize;
  }

  /** Page size minus the bytes reserved at the end of each page. */
  public int usable() {
    return usable;
  }

  Page page(long number) throws IOException {
    if (number < 1 || number > pageCount) {
      throw new SqliteFormatException("page " + number + " is outside the file ("
          + pageCount + " pages)");
    }
    int n = (int) number;
    if (whole != null) {
      return new Page(n, whole, (n - 1) * pageSize);
    }
    byte[] bytes = new byte[pageSize];
    file.seek((long) (n - 1) * pageSize);
    file.readFully(bytes);
    return new Page(n, bytes, 0);
  }

  /** The root page of table or index {@code name}, or -1 when the file has no such table. */
  public int rootPage(String name) throws IOException {
    if (roots == null) {
      Map<String, Integer> found = new HashMap<>();
      // sqlite_schema(type, name, tbl_name, rootpage, sql): views have root page 0.
      try (TableRows rows = new TableRows(this, 1)) {
        while (rows.next()) {
          SqliteRecord r = rows.record();
          long root = r.getLong(3);
          if (root > 0 && "table".equals(r.getString(0))) {
            found.put(r.getString(1), (int) root);
          }
        }
      }
      roots = found;
    }
    return roots.getOrDefault(name, -1);
  }

  private static boolean startsWithMagic(byte[] header) {
    for (int i = 0; i < MAGIC.length; i++) {
      if (header[i] != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() throws IOException {
    if (file != null) {
      file.close();
    }
  }
}
