package io.tierdex.report;

import java.util.Locale;

/** Figures for people, the same in the summary line, the text and the HTML tables. */
final class Quantities {
  private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

  private Quantities() {}

  /** 1,536 -> 1.5 KiB. */
  static String bytes(long n) {
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

  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  static String seconds(double s) {
    return String.format(Locale.ROOT, "%.1f s", s);
  }
}
