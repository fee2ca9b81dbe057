package io.tierdex.index;

/**
 * Receives one row's column values in column order. The page writer encodes them as a
 * record; tests bind the same calls to an SQLite statement to check the encoding.
 */
interface ColumnSink {
  void text(String value);

  void integer(long value);

  void blob(byte[] value);
}
