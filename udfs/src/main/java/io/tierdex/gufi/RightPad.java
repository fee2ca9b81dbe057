package io.tierdex.gufi;

import java.util.Arrays;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * {@code rpad(value, width)}: {@code value} followed by spaces up to {@code width}, as
 * GUFI's {@code rpad} (src/addqueryfuncs.c) pads columns for {@code gufi_ls} and {@code
 * gufi_find}. Unlike Spark's two-argument {@code rpad}, a longer value is returned whole,
 * not cut, and a number is padded as its text ({@code rpad(1, 3)} is {@code '1  '}). Like
 * GUFI (C's {@code strlen}), the width counts bytes, not characters. Spark's three-argument
 * {@code rpad(str, len, pad)} is unchanged.
 */
public final class RightPad extends GufiScalar<UTF8String> {
  static final RightPad INSTANCE = new RightPad();

  private RightPad() {
    super("rpad", DataTypes.StringType, DataTypes.StringType, DataTypes.IntegerType);
  }

  public static UTF8String invoke(UTF8String value, int width) {
    if (value == null) {
      return null;
    }
    int n = value.numBytes();
    if (n >= width) {
      return value;
    }
    byte[] padded = new byte[width];
    byte[] bytes = value.getBytes();
    System.arraycopy(bytes, 0, padded, 0, n);
    Arrays.fill(padded, n, width, (byte) ' ');
    return UTF8String.fromBytes(padded);
  }
}
