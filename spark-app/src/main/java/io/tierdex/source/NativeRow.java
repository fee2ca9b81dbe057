package io.tierdex.source;

import io.tierdex.sqlite.SqliteRecord;
import io.tierdex.sqlite.SqliteRecord.StorageClass;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One row as a view over a db.db defines it: the stored record's columns, followed by
 * columns the view adds from elsewhere in the file ({@code pentries} adds the directory's
 * {@code pinode} and {@code ppinode} to each {@code entries} row).
 */
final class NativeRow {
  private SqliteRecord record;
  private int stored;
  private byte[][] added = new byte[0][];

  /** Columns {@code 0..storedColumns-1} come from {@code r}; the rest are {@code extra} text. */
  void set(SqliteRecord r, int storedColumns, byte[][] extra) {
    this.record = r;
    this.stored = storedColumns;
    this.added = extra;
  }

  StorageClass storageClass(int col) {
    if (col < stored) {
      return record.storageClass(col);
    }
    return added[col - stored] == null ? StorageClass.NULL : StorageClass.TEXT;
  }

  long getLong(int col) {
    return col < stored ? record.getLong(col) : Long.parseLong(getString(col));
  }

  double getDouble(int col) {
    return record.getDouble(col);
  }

  String getString(int col) {
    if (col < stored) {
      return record.getString(col);
    }
    byte[] b = added[col - stored];
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  byte[] getBytes(int col) {
    return col < stored ? record.getBytes(col) : added[col - stored];
  }

  int compareBytes(int col, byte[] other) {
    if (col < stored) {
      return record.compareBytes(col, other);
    }
    return Arrays.compareUnsigned(added[col - stored], other);
  }

  boolean startsWith(int col, byte[] prefix) {
    if (col < stored) {
      return record.startsWith(col, prefix);
    }
    byte[] b = added[col - stored];
    return b.length >= prefix.length
        && Arrays.equals(b, 0, prefix.length, prefix, 0, prefix.length);
  }
}
