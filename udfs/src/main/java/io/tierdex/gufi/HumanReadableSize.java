package io.tierdex.gufi;

import java.math.BigDecimal;
import java.math.RoundingMode;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * {@code human_readable_size(bytes)}: a size in the largest 1024-based unit that keeps it
 * at least 1, with one decimal, as GUFI's {@code human_readable_size}
 * (src/addqueryfuncs.c) prints it: {@code 1536} is {@code 1.5K}, {@code 1023} is {@code
 * 1023.0}, {@code 1280} is {@code 1.2K}.
 *
 * <p>GUFI prints with C's {@code %.1f}, which rounds the exact binary value half to even
 * (1.25 becomes 1.2); Java's formatter would round half up, so the rounding is done here.
 * NaN and infinities (GUFI loops forever on infinity) give NULL; beyond {@code E} the
 * number keeps growing rather than reading past GUFI's unit table.
 */
public final class HumanReadableSize extends GufiScalar<UTF8String> {
  static final HumanReadableSize INSTANCE = new HumanReadableSize();

  private static final String UNITS = "KMGTPE";
  /** Sizes below this are exact as doubles, so whole-byte sizes can use long arithmetic. */
  private static final double EXACT_LONG = 0x1p53;

  private HumanReadableSize() {
    super("human_readable_size", DataTypes.StringType, DataTypes.DoubleType);
  }

  public static UTF8String invoke(double bytes) {
    if (!Double.isFinite(bytes)) {
      return null;
    }
    int unit = 0;
    double value = bytes;
    while (value >= 1024 && unit < UNITS.length()) {
      value /= 1024; // exact: dividing by a power of two
      unit++;
    }
    String number = bytes >= 0 && bytes < EXACT_LONG && bytes == Math.rint(bytes)
        ? tenths((long) bytes, 10 * unit)
        : new BigDecimal(value).setScale(1, RoundingMode.HALF_EVEN).toPlainString();
    if (number.charAt(0) != '-' && (value < 0 || 1 / value < 0)) {
      number = "-" + number; // C prints -0.0; BigDecimal has no negative zero
    }
    return UTF8String.fromString(unit == 0 ? number : number + UNITS.charAt(unit - 1));
  }

  /** {@code bytes / 2^shift} with one decimal, rounded half to even, in integers. */
  private static String tenths(long bytes, int shift) {
    long scaled = bytes * 10; // < 2^57: no overflow below EXACT_LONG
    long tenths = scaled >>> shift;
    long remainder = scaled - (tenths << shift);
    long half = shift == 0 ? 1 : 1L << (shift - 1);
    if (shift > 0 && (remainder > half || (remainder == half && (tenths & 1) == 1))) {
      tenths++;
    }
    return (tenths / 10) + "." + (tenths % 10);
  }
}
