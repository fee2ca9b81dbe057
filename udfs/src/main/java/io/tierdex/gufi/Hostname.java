package io.tierdex.gufi;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * {@code hostname()}: the name of the host evaluating the row, as GUFI's {@code hostname}
 * (src/addqueryfuncs.c) names the host running {@code gufi_query}. In Spark that is the
 * executor that read the row, so a report over an index spread across nodes shows where
 * each row was read. Like {@code gethostname(2)}, this is the kernel's host name, not a
 * DNS lookup; {@code NOHOST} (GUFI's default) if it cannot be read.
 */
public final class Hostname extends GufiScalar<UTF8String> {
  static final Hostname INSTANCE = new Hostname();

  private static final UTF8String NAME = UTF8String.fromString(read());

  private Hostname() {
    super("hostname", DataTypes.StringType);
  }

  public static UTF8String invoke() {
    return NAME;
  }

  /** Not folded into a constant at planning, which would put the driver's name on every row. */
  @Override
  public boolean isDeterministic() {
    return false;
  }

  @Override
  public boolean isResultNullable() {
    return false;
  }

  private static String read() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    } catch (IOException | RuntimeException notLinux) {
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (IOException unknown) {
        return "NOHOST";
      }
    }
  }
}
