package io.tierdex.gufi;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * {@code ext(name)}: what follows the last dot of a name, as GUFI's {@code ext}
 * (src/addqueryfuncs.c) returns it: {@code 'files.tar.gz'} is {@code 'gz'}, {@code
 * '.hidden'} is {@code 'hidden'}; a name without a dot, or ending in one, is NULL. Like
 * GUFI it looks at the whole argument, slashes included: apply it to {@code name}, not to
 * a path.
 */
public final class Extension extends GufiScalar<UTF8String> {
  static final Extension INSTANCE = new Extension();

  private Extension() {
    super("ext", DataTypes.StringType, DataTypes.StringType);
  }

  public static UTF8String invoke(UTF8String name) {
    if (name == null) {
      return null;
    }
    int n = name.numBytes();
    int afterDot = n;
    while (afterDot > 0 && name.getByte(afterDot - 1) != '.') {
      afterDot--;
    }
    return afterDot == 0 || afterDot == n ? null : Bytes.slice(name, afterDot, n);
  }
}
