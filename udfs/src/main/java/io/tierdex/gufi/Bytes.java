package io.tierdex.gufi;

import org.apache.spark.unsafe.types.UTF8String;

/** Byte-level helpers for GUFI's functions, which (like C) work on bytes, not characters. */
final class Bytes {
  private Bytes() {}

  /** A copy of bytes {@code [start, end)}: the input's buffer may be reused for the next row. */
  static UTF8String slice(UTF8String s, int start, int end) {
    byte[] bytes = new byte[end - start];
    for (int i = start; i < end; i++) {
      bytes[i - start] = s.getByte(i);
    }
    return UTF8String.fromBytes(bytes);
  }
}
