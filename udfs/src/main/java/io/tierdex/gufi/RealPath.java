package io.tierdex.gufi;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * {@code fpath()}: GUFI's realpath of the directory being processed. The gufi source gives
 * each row its directory in the {@code path} column, so this resolves that path (symlinks,
 * {@code ..}, relative roots) on the executor reading the row. Rows of one directory come
 * together, so the last answer is kept per thread. A directory that no longer resolves
 * gives NULL (GUFI's C would crash).
 */
public final class RealPath extends GufiScalar<UTF8String> {
  static final RealPath INSTANCE = new RealPath();

  private static final ThreadLocal<UTF8String[]> LAST = ThreadLocal.withInitial(() -> new UTF8String[2]);

  private RealPath() {
    super("fpath", DataTypes.StringType, DataTypes.StringType);
  }

  public static UTF8String invoke(UTF8String path) {
    if (path == null) {
      return null;
    }
    UTF8String[] last = LAST.get();
    if (path.equals(last[0])) {
      return last[1];
    }
    UTF8String real;
    try {
      real = UTF8String.fromString(Path.of(path.toString()).toRealPath().toString());
    } catch (IOException | InvalidPathException e) {
      real = null;
    }
    last[0] = path.clone();
    last[1] = real;
    return real;
  }
}
