package io.tierdex.policy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes ({@code 1GiB}, {@code 500GB}) and ages ({@code 30d}) as admins write them. */
public final class Units {
  static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([A-Za-z]*)");
  static final Pattern AGE = Pattern.compile("(\\d+)\\s*([A-Za-z]*)");
  static final String SIZE_UNITS = "B, KiB, MiB, GiB, TiB, PiB (powers of 1024) or KB, MB, GB,"
      + " TB, PB (powers of 1000)";
  static final String AGE_UNITS = "s, m (minutes), h, d, w, y (365 days)";

  private static final Map<String, Long> BYTES = Map.ofEntries(Map.entry("", 1L),
      Map.entry("B", 1L), Map.entry("KiB", 1L << 10), Map.entry("MiB", 1L << 20),
      Map.entry("GiB", 1L << 30), Map.entry("TiB", 1L << 40), Map.entry("PiB", 1L << 50),
      Map.entry("KB", 1_000L), Map.entry("MB", 1_000_000L), Map.entry("GB", 1_000_000_000L),
      Map.entry("TB", 1_000_000_000_000L), Map.entry("PB", 1_000_000_000_000_000L));
  private static final Map<String, Duration> AGES = Map.of("s", Duration.ofSeconds(1),
      "m", Duration.ofMinutes(1), "h", Duration.ofHours(1), "d", Duration.ofDays(1),
      "w", Duration.ofDays(7), "y", Duration.ofDays(365));

  private Units() {}

  /** Bytes in {@code text}, or empty with the reason in {@code problem}[0]. */
  static Optional<Long> bytes(String text, String[] problem) {
    Matcher m = SIZE.matcher(text.strip());
    if (!m.matches()) {
      problem[0] = "'" + text + "' is not a size; write a number and a unit: " + SIZE_UNITS;
      return Optional.empty();
    }
    Long unit = BYTES.get(m.group(2));
    if (unit == null) {
      String hint = m.group(2).length() == 1 && "KMGTPkmgtp".contains(m.group(2))
          ? " (" + m.group(1) + m.group(2).toUpperCase() + "iB for powers of 1024, "
              + m.group(1) + m.group(2).toUpperCase() + "B for powers of 1000)" : "";
      problem[0] = "unknown size unit '" + m.group(2) + "' in '" + text + "'" + hint
          + "; units: " + SIZE_UNITS;
      return Optional.empty();
    }
    try {
      return Optional.of(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit))
          .setScale(0, RoundingMode.CEILING).longValueExact());
    } catch (ArithmeticException e) {
      problem[0] = "'" + text + "' is too large";
      return Optional.empty();
    }
  }

  /** The age in {@code text}, or empty with the reason in {@code problem}[0]. */
  static Optional<Duration> age(String text, String[] problem) {
    Matcher m = AGE.matcher(text.strip());
    if (!m.matches()) {
      problem[0] = "'" + text + "' is not an age; write a whole number and a unit: "
          + AGE_UNITS + ", as in 30d";
      return Optional.empty();
    }
    Duration unit = AGES.get(m.group(2));
    if (unit == null) {
      problem[0] = "unknown age unit '" + m.group(2) + "' in '" + text + "'; units: "
          + AGE_UNITS;
      return Optional.empty();
    }
    return Optional.of(unit.multipliedBy(Long.parseLong(m.group(1))));
  }

  /** Bytes in a command-line value such as {@code 200MiB}; the error names the units. */
  public static long parseBytes(String text) {
    String[] problem = new String[1];
    return bytes(text, problem).orElseThrow(() -> new IllegalArgumentException(problem[0]));
  }

  /** An age in a command-line value such as {@code 1h}; the error names the units. */
  public static Duration parseAge(String text) {
    String[] problem = new String[1];
    return age(text, problem).orElseThrow(() -> new IllegalArgumentException(problem[0]));
  }
}
