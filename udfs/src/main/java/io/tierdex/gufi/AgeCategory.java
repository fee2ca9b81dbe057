package io.tierdex.gufi;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * {@code agecat(t)}: how long ago epoch time {@code t} was, as a category for {@code GROUP
 * BY}, as GUFI's {@code agecat} (src/addqueryfuncs.c): {@code Zero}, {@code Secs} (under a
 * minute), {@code Mins}, {@code Hrs}, {@code Days} (under a week), {@code Wks} (under 30
 * days), {@code Mos} (under 365 days), {@code Yrs} (under ten 365-day years), {@code Decs}.
 *
 * <p>"Now" is the query's start time, the same for every row and executor (GUFI reads
 * the clock per row). A time in the future (GUFI: an error, which one file with a skewed
 * clock would turn into a failed report) is NULL.
 */
public final class AgeCategory extends GufiScalar<UTF8String> {
  static final AgeCategory INSTANCE = new AgeCategory();

  private static final double MINUTE = 60;
  private static final double HOUR = 60 * MINUTE;
  private static final double DAY = 24 * HOUR;
  private static final double[] LIMITS = {MINUTE, HOUR, DAY, 7 * DAY, 30 * DAY, 365 * DAY, 3650 * DAY};
  private static final UTF8String ZERO = UTF8String.fromString("Zero");
  private static final UTF8String[] NAMES =
      Magnitudes.names("Secs", "Mins", "Hrs", "Days", "Wks", "Mos", "Yrs", "Decs");

  private AgeCategory() {
    // The second argument, now, is added by the function's builder, not by the query.
    super("agecat", DataTypes.StringType, DataTypes.DoubleType, DataTypes.LongType);
  }

  public static UTF8String invoke(double time, long now) {
    double age = now - time;
    if (!(age >= 0)) {
      return null;
    }
    if (age == 0) {
      return ZERO;
    }
    for (int i = 0; i < LIMITS.length; i++) {
      if (age < LIMITS[i]) {
        return NAMES[i];
      }
    }
    return NAMES[NAMES.length - 1];
  }
}
