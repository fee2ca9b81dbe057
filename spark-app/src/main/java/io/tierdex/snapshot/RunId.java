package io.tierdex.snapshot;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * A run's name, {@code 20261122T061530123Z-3fa2}: its UTC start to the millisecond and a
 * random suffix, so names sort by start time and two runs started together differ. No
 * colons: Hadoop paths do not allow them.
 */
public record RunId(String value) implements Comparable<RunId> {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);
  private static final Pattern SHAPE = Pattern.compile("\\d{8}T\\d{9}Z-[0-9a-f]{4}");

  public RunId {
    if (!SHAPE.matcher(value).matches()) {
      throw new IllegalArgumentException("'" + value + "' is not a run id (like "
          + "20261122T061530123Z-3fa2; tierdex runs lists them)");
    }
  }

  public static RunId startingAt(Instant start) {
    return new RunId(STAMP.format(start) + "-"
        + String.format("%04x", ThreadLocalRandom.current().nextInt(1 << 16)));
  }

  /** The run id a directory name spells, if it spells one. */
  public static Optional<RunId> parse(String name) {
    return SHAPE.matcher(name).matches() ? Optional.of(new RunId(name)) : Optional.empty();
  }

  public Instant started() {
    return STAMP.parse(value.substring(0, value.indexOf('-')), Instant::from);
  }

  @Override
  public int compareTo(RunId o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
