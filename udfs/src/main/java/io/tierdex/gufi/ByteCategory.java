package io.tierdex.gufi;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * {@code bytecat(bytes)}: the 1024-based magnitude of a size, for {@code GROUP BY}, as
 * GUFI's {@code bytecat} (src/addqueryfuncs.c): {@code Zero}, {@code B} (below 1 KiB),
 * {@code K}, {@code M}, {@code G}, {@code T}, {@code P}, {@code E} (1 EiB and up). A
 * negative size (GUFI: an error) is NULL.
 */
public final class ByteCategory extends GufiScalar<UTF8String> {
  static final ByteCategory INSTANCE = new ByteCategory();

  private static final UTF8String[] NAMES = Magnitudes.names("Zero", "B", "K", "M", "G", "T", "P", "E");

  private ByteCategory() {
    super("bytecat", DataTypes.StringType, DataTypes.DoubleType);
  }

  public static UTF8String invoke(double bytes) {
    return Magnitudes.category(bytes, 1024, NAMES);
  }
}
