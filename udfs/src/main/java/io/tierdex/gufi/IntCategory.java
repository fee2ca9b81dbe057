package io.tierdex.gufi;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * {@code intcat(n)}: the 1000-based magnitude of a number, for {@code GROUP BY}, as GUFI's
 * {@code intcat} (src/addqueryfuncs.c): {@code Zero}, {@code O} (below a thousand),
 * {@code K}, {@code M}, {@code B}, {@code T}, {@code q}, {@code Q} (a quintillion and up).
 * A negative number (GUFI: an error) is NULL.
 */
public final class IntCategory extends GufiScalar<UTF8String> {
  static final IntCategory INSTANCE = new IntCategory();

  private static final UTF8String[] NAMES = Magnitudes.names("Zero", "O", "K", "M", "B", "T", "q", "Q");

  private IntCategory() {
    super("intcat", DataTypes.StringType, DataTypes.DoubleType);
  }

  public static UTF8String invoke(double n) {
    return Magnitudes.category(n, 1000, NAMES);
  }
}
