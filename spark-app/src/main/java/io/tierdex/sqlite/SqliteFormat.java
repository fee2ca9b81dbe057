package io.tierdex.sqlite;

/**
 * The pieces of SQLite's file format (sqlite.org/fileformat2.html) that both the reader
 * and the page writer need: big-endian integers, varints, record serial types, and how
 * much of a table-leaf cell's payload stays on its page.
 */
public final class SqliteFormat {
  public static final int LEAF_TABLE = 0x0D;
  public static final int INTERIOR_TABLE = 0x05;
  public static final int LEAF_HEADER = 8;
  public static final int INTERIOR_HEADER = 12;
  /** The database header that precedes page 1's b-tree header. */
  public static final int FILE_HEADER = 100;

  private SqliteFormat() {}

  public static int get2(byte[] a, int off) {
    return (a[off] & 0xFF) << 8 | (a[off + 1] & 0xFF);
  }

  public static int get4(byte[] a, int off) {
    return (a[off] & 0xFF) << 24 | (a[off + 1] & 0xFF) << 16 | (a[off + 2] & 0xFF) << 8
        | (a[off + 3] & 0xFF);
  }

  public static void put2(byte[] a, int off, int v) {
    a[off] = (byte) (v >>> 8);
    a[off + 1] = (byte) v;
  }

  public static void put4(byte[] a, int off, int v) {
    a[off] = (byte) (v >>> 24);
    a[off + 1] = (byte) (v >>> 16);
    a[off + 2] = (byte) (v >>> 8);
    a[off + 3] = (byte) v;
  }

  public static int varintLength(long v) {
    if ((v & ~0x7FL) == 0) {
      return 1;
    }
    if ((v & 0xFF00_0000_0000_0000L) != 0) {
      return 9; // the ninth byte carries 8 bits
    }
    return (64 - Long.numberOfLeadingZeros(v) + 6) / 7;
  }

  /** Writes {@code v} as a SQLite varint and returns its length. */
  public static int putVarint(byte[] a, int off, long v) {
    if ((v & ~0x7FL) == 0) {
      a[off] = (byte) v;
      return 1;
    }
    int n = varintLength(v);
    int i = off + n - 1;
    if (n == 9) {
      a[i--] = (byte) v;
      v >>>= 8;
    } else {
      a[i--] = (byte) (v & 0x7F);
      v >>>= 7;
    }
    for (; i >= off; i--) {
      a[i] = (byte) (v & 0x7F | 0x80);
      v >>>= 7;
    }
    return n;
  }

  /**
   * How many bytes of a {@code payload}-byte record stay in a table-leaf cell; the rest
   * goes to overflow pages. The formula is the file format's, so readers agree on it.
   */
  public static int localPayload(int payload, int usable) {
    int maxLocal = usable - 35;
    if (payload <= maxLocal) {
      return payload;
    }
    int minLocal = (usable - 12) * 32 / 255 - 23;
    int k = minLocal + (payload - minLocal) % (usable - 4);
    return k <= maxLocal ? k : minLocal;
  }

  /** The varint at {@code pos}. */
  public static long readVarint(byte[] b, int pos) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      int c = b[pos + i] & 0xFF;
      v = (v << 7) | (c & 0x7F);
      if (c < 0x80) {
        return v;
      }
    }
    return (v << 8) | (b[pos + 8] & 0xFF);
  }

  /** How many bytes the varint at {@code pos} takes. */
  public static int varintSize(byte[] b, int pos) {
    for (int i = 0; i < 8; i++) {
      if ((b[pos + i] & 0x80) == 0) {
        return i + 1;
      }
    }
    return 9;
  }

  /** The body length of a value of record serial type {@code type}. */
  public static int serialLength(long type) {
    if (type >= 12) {
      return (int) ((type - 12) / 2);
    }
    return switch ((int) type) {
      case 1, 2, 3, 4 -> (int) type;
      case 5 -> 6;
      case 6, 7 -> 8;
      default -> 0; // NULL, and the integers 0 and 1
    };
  }
}
