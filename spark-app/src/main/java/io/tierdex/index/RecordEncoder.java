package io.tierdex.index;

import io.tierdex.sqlite.SqliteFormat;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Encodes one row in SQLite's record format (header-size varint, one serial type per
 * column, then the values), choosing the serial types SQLite itself would for the
 * values a prepared statement binds: the narrowest integer width, no body bytes for 0
 * and 1 (schema format 4), text as UTF-8 exactly as sqlite-jdbc converts a Java String,
 * NULL for a null String or byte[]. One encoder is reused row after row.
 */
final class RecordEncoder implements ColumnSink {
  private byte[] types = new byte[64];
  private int typesLength;
  private byte[] body = new byte[256];
  private int bodyLength;
  private byte[] record = new byte[320];

  /** Starts a new row. */
  RecordEncoder clear() {
    typesLength = 0;
    bodyLength = 0;
    return this;
  }

  @Override
  public void integer(long v) {
    long magnitude = v < 0 ? ~v : v;
    if (magnitude <= 127) {
      if (v == 0 || v == 1) {
        type(8 + v);
        return;
      }
      type(1);
      bigEndian(v, 1);
    } else if (magnitude <= 32767) {
      type(2);
      bigEndian(v, 2);
    } else if (magnitude <= 8388607) {
      type(3);
      bigEndian(v, 3);
    } else if (magnitude <= 2147483647) {
      type(4);
      bigEndian(v, 4);
    } else if (magnitude <= 0x7FFF_FFFF_FFFFL) {
      type(5);
      bigEndian(v, 6);
    } else {
      type(6);
      bigEndian(v, 8);
    }
  }

  @Override
  public void text(String s) {
    if (s == null) {
      type(0);
      return;
    }
    int n = s.length();
    ensureBody(n);
    int start = bodyLength;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        // Whatever String.getBytes does (sqlite-jdbc's conversion), including for lone surrogates.
        bodyLength = start;
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        bytes(utf8);
        type(13 + 2L * utf8.length);
        return;
      }
      body[start + i] = (byte) c;
    }
    bodyLength = start + n;
    type(13 + 2L * n);
  }

  @Override
  public void blob(byte[] b) {
    if (b == null) {
      type(0);
      return;
    }
    bytes(b);
    type(12 + 2L * b.length);
  }

  /** Finishes the row; the record is then {@code record()[0, length())}. */
  int end() {
    // The header size counts its own varint, which grows to 2 bytes past 127.
    int header = typesLength + 1 <= 127 ? typesLength + 1 : typesLength + 2;
    int recordLength = header + bodyLength;
    if (record.length < recordLength) {
      record = new byte[Math.max(recordLength, record.length * 2)];
    }
    int p = SqliteFormat.putVarint(record, 0, header);
    System.arraycopy(types, 0, record, p, typesLength);
    System.arraycopy(body, 0, record, p + typesLength, bodyLength);
    return recordLength;
  }

  byte[] record() {
    return record;
  }

  private void type(long serialType) {
    if (typesLength + 9 > types.length) {
      types = Arrays.copyOf(types, types.length * 2);
    }
    if (serialType < 0x80) {
      types[typesLength++] = (byte) serialType; // every type but longer text and blobs
    } else {
      typesLength += SqliteFormat.putVarint(types, typesLength, serialType);
    }
  }

  private void bigEndian(long v, int width) {
    ensureBody(width);
    for (int i = width - 1; i >= 0; i--) {
      body[bodyLength + i] = (byte) v;
      v >>= 8;
    }
    bodyLength += width;
  }

  private void bytes(byte[] b) {
    ensureBody(b.length);
    System.arraycopy(b, 0, body, bodyLength, b.length);
    bodyLength += b.length;
  }

  private void ensureBody(int more) {
    if (bodyLength + more > body.length) {
      body = Arrays.copyOf(body, Math.max(bodyLength + more, body.length * 2));
    }
  }
}
