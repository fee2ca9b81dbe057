package io.tierdex.gufi;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * {@code strftime(format, t)}: epoch seconds {@code t} formatted by C's {@code strftime}
 * in local time, as GUFI's {@code strftime} (src/addqueryfuncs.c) does; see {@link
 * CTimeFormat} for the conversions.
 *
 * <p>"Local time" is the session time zone ({@code spark.sql.session.timeZone}, by default
 * the driver JVM's zone, which follows {@code TZ}), fixed when the query is analysed and
 * passed as a third argument the query does not write, so every executor formats the same
 * instant the same way. GUFI uses the time zone of the {@code gufi_query} process.
 */
public final class Strftime extends GufiScalar<UTF8String> {
  static final Strftime INSTANCE = new Strftime();

  /** The last zone parsed: every row of a query passes the same one. */
  private static volatile ParsedZone last = new ParsedZone(UTF8String.fromString("UTC"), ZoneId.of("UTC"));

  private record ParsedZone(UTF8String id, ZoneId zone) {}

  private Strftime() {
    super("strftime", DataTypes.StringType, DataTypes.StringType, DataTypes.LongType, DataTypes.StringType);
  }

  public static UTF8String invoke(UTF8String format, long epochSeconds, UTF8String zoneId) {
    if (format == null || zoneId == null) {
      return null;
    }
    try {
      return UTF8String.fromString(
          CTimeFormat.format(format.toString(), Instant.ofEpochSecond(epochSeconds).atZone(zone(zoneId))));
    } catch (DateTimeException outsideJavaTimeRange) {
      return null;
    }
  }

  private static ZoneId zone(UTF8String id) {
    ParsedZone parsed = last;
    if (!parsed.id().equals(id)) {
      parsed = new ParsedZone(id.clone(), ZoneId.of(id.toString(), ZoneId.SHORT_IDS));
      last = parsed;
    }
    return parsed.zone();
  }
}
