package io.tierdex.report;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Column;

/**
 * A fixed log-scale histogram axis: bucket {@code i} holds {@code [bounds[i-1], bounds[i])}.
 * Fixed, not fitted to the data, so the same bucket means the same thing in every run's
 * report and two reports compare bar for bar.
 */
record BucketScale(String measure, long[] bounds, List<String> labels) {
  private static final long KIB = 1024;
  private static final long DAY = 86_400;

  /** File sizes, a factor of 16 apart: 4 KiB, 64 KiB, ... 1 TiB. */
  static final BucketScale SIZE = new BucketScale("size",
      new long[] {4 * KIB, 64 * KIB, KIB * KIB, 16 * KIB * KIB, 256 * KIB * KIB,
          4 * KIB * KIB * KIB, 64 * KIB * KIB * KIB, KIB * KIB * KIB * KIB},
      List.of("< 4 KiB", "4-64 KiB", "64 KiB-1 MiB", "1-16 MiB", "16-256 MiB",
          "256 MiB-4 GiB", "4-64 GiB", "64 GiB-1 TiB", ">= 1 TiB"));

  /** Seconds since the last modification: a day, a week, a month, a quarter, years. */
  static final BucketScale AGE = new BucketScale("age",
      new long[] {DAY, 7 * DAY, 30 * DAY, 90 * DAY, 365 * DAY, 730 * DAY, 1825 * DAY},
      List.of("< 1 day", "1-7 days", "7-30 days", "30-90 days", "90 days-1 year",
          "1-2 years", "2-5 years", ">= 5 years"));

  BucketScale {
    if (labels.size() != bounds.length + 1) {
      throw new IllegalArgumentException(measure + ": " + labels.size() + " labels for "
          + (bounds.length + 1) + " buckets");
    }
  }

  int buckets() {
    return labels.size();
  }

  /** The bucket index of {@code value}; values below the first bound (negative too) go to 0. */
  Column index(Column value) {
    Column c = when(value.lt(bounds[0]), 0);
    for (int i = 1; i < bounds.length; i++) {
      c = c.when(value.lt(bounds[i]), i);
    }
    return c.otherwise(lit(bounds.length));
  }

  long lower(int bucket) {
    return bucket == 0 ? 0 : bounds[bucket - 1];
  }

  /** The exclusive upper bound, or null for the last bucket. */
  Long upper(int bucket) {
    return bucket < bounds.length ? bounds[bucket] : null;
  }
}
