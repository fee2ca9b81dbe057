package io.tierdex.gufi;

import org.apache.spark.unsafe.types.UTF8String;

/** The bucketing {@code intcat} and {@code bytecat} share: zero, then six powers of a base, then the rest. */
final class Magnitudes {
  private Magnitudes() {}

  static UTF8String[] names(String... names) {
    UTF8String[] utf8 = new UTF8String[names.length];
    for (int i = 0; i < names.length; i++) {
      utf8[i] = UTF8String.fromString(names[i]);
    }
    return utf8;
  }

  /**
   * {@code names[0]} for zero, {@code names[k]} for values below {@code base^k}, the last
   * name for everything larger; NULL for negative values and NaN.
   */
  static UTF8String category(double value, double base, UTF8String[] names) {
    if (!(value >= 0)) {
      return null;
    }
    if (value == 0) {
      return names[0];
    }
    double limit = base;
    for (int k = 1; k < names.length - 1; k++, limit *= base) {
      if (value < limit) {
        return names[k];
      }
    }
    return names[names.length - 1];
  }
}
