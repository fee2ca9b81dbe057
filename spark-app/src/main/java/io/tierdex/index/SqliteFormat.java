package io.tierdex.index;

/**
 * The pieces of SQLite's file format (sqlite.org/fileformat2.html) that both the
 * template reader and the page writer need: big-endian integers, varints, and how much
 * of a table-leaf cell's payload stays on its page.
 */
final class SqliteFormat {
  static final int LEAF_TABLE = 0x0D;
  static final int INTERIOR_TABLE = 0x05;
  static final int LEAF_HEADER = 8;
  static final int INTERIOR_HEADER = 12;
  /** The database header that precedes page 1's b-tree header. */
  static final int FILE_HEADER = 100;

  private SqliteFormat() {}

  static int get2(byte[] a, int off) {
    return (a[off] & 0xFF) << 8 | (a[off + 1] & 0xFF);
  }

  static int get4(byte[] a, int off) {
    return (a[off] & 0xFF) << 24 | (a[off + 1] & 0xFF) << 16 | (a[off + 2] & 0xFF) << 8
        | (a[off + 3] & 0xFF);
  }

  static void put2(byte[] a, int off, int v) {
    a[off] = (byte) (v >>> 8);
    a[off + 1] = (byte) v;
  }

  static void put4(byte[] a, int off, int v) {
    a[off] = (byte) (v >>> 24);
    a[off + 1] = (byte) (v >>> 16);
    a[off + 2] = (byte) (v >>> 8);
    a[off + 3] = (byte) v;
  }

  static int varintLength(long v) {
    if ((v & ~0x7FL) == 0) {
      return 1;
    }
    if ((v & 0xFF00_0000_0000_0000L) != 0) {
      return 9; // the ninth byte carries 8 bits
    }
    return (64 - Long.numberOfLeadingZeros(v) + 6) / 7;
  }

  /** Writes {@code v} as a SQLite varint and returns its length. */
  static int putVarint(byte[] a, int off, long v) {
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
  static int localPayload(int payload, int usable) {
    int maxLocal = usable - 35;
    if (payload <= maxLocal) {
      return payload;
    }
    int minLocal = (usable - 12) * 32 / 255 - 23;
    int k = minLocal + (payload - minLocal) % (usable - 4);
    return k <= maxLocal ? k : minLocal;
  }
}
