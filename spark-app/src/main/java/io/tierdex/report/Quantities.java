package io.tierdex.report;

import java.util.Locale;

/**
 * Figures for people, the same in every command's output and in the report's summary line,
 * text and HTML tables.
 */
public final class Quantities {
  private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

  private Quantities() {}

  /** 1,536 -> 1.5 KiB. */
  public static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    double v = n;
    int unit = 0;
    while (v >= 1024 && unit < UNITS.length - 1) {
      v /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, UNITS[unit]);
  }

  public static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  public static String seconds(double s) {
    return String.format(Locale.ROOT, "%.1f s", s);
  }
}
