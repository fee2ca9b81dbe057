package io.tierdex.gufi;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * {@code basename(path)}: the last component of a path, as GUFI's {@code basename}
 * (src/addqueryfuncs.c) returns it: trailing slashes are ignored ({@code '/usr/'} is
 * {@code 'usr'}), a path of only slashes, or an empty one, is {@code '/'}, and NULL is the
 * empty string (GUFI's unit tests document all three).
 */
public final class Basename extends GufiScalar<UTF8String> {
  static final Basename INSTANCE = new Basename();

  private static final UTF8String SLASH = UTF8String.fromString("/");

  private Basename() {
    super("basename", DataTypes.StringType, DataTypes.StringType);
  }

  public static UTF8String invoke(UTF8String path) {
    if (path == null) {
      return UTF8String.EMPTY_UTF8;
    }
    int end = path.numBytes();
    while (end > 0 && path.getByte(end - 1) == '/') {
      end--;
    }
    if (end == 0) {
      return SLASH;
    }
    int start = end;
    while (start > 0 && path.getByte(start - 1) != '/') {
      start--;
    }
    return start == 0 && end == path.numBytes() ? path : Bytes.slice(path, start, end);
  }
}
