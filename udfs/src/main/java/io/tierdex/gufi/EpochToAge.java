package io.tierdex.gufi;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * {@code epochtoage(t, unit)}: how many whole units ago epoch time {@code t} was, as GUFI's
 * {@code epochtoage} (src/addqueryfuncs.c). The unit's first letter picks it: {@code s}
 * seconds, {@code m} minutes, {@code h} hours, {@code d} days, {@code w} weeks, {@code M}
 * 30-day months, {@code y} 365-day years, {@code D} decades; anything else means days.
 *
 * <p>"Now" is the query's start time, as for {@link AgeCategory}; a time in the future
 * (GUFI: an error) is NULL.
 */
public final class EpochToAge extends GufiScalar<Long> {
  static final EpochToAge INSTANCE = new EpochToAge();

  private static final long DAY = 24 * 60 * 60;

  private EpochToAge() {
    // The third argument, now, is added by the function's builder, not by the query.
    super("epochtoage", DataTypes.LongType, DataTypes.DoubleType, DataTypes.StringType, DataTypes.LongType);
  }

  public static Long invoke(double time, UTF8String unit, long now) {
    if (unit == null) {
      return null;
    }
    long age = (long) (now - time); // truncates toward zero, like C's conversion to int64_t
    if (age < 0 || Double.isNaN(time)) {
      return null;
    }
    return age / seconds(unit.numBytes() == 0 ? 0 : unit.getByte(0));
  }

  private static long seconds(byte unit) {
    return switch (unit) {
      case 's' -> 1;
      case 'm' -> 60;
      case 'h' -> 60 * 60;
      case 'w' -> 7 * DAY;
      case 'M' -> 30 * DAY;
      case 'y' -> 365 * DAY;
      case 'D' -> 3650 * DAY;
      default -> DAY;
    };
  }
}
