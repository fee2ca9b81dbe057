package io.tierdex.gufi;

import java.util.function.LongFunction;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * A uid or gid turned into a name; given as text, it is read the way GUFI reads it ({@code sscanf("%u%n")} and a
 * check that nothing follows): optional leading white space and sign, then digits.
 */
final class IdText {
  private IdText() {}

  /** The name of {@code id}, or the id as text when it has none. */
  static UTF8String name(long id, LongFunction<UTF8String> lookup) {
    UTF8String name = lookup.apply(id);
    return name != null ? name : UTF8String.fromString(Long.toString(id));
  }

  /**
   * The name of the id in {@code text}; {@code text} itself when the id has no name or is
   * outside 0..4294967295 (GUFI would wrap it around); NULL when {@code text} is NULL or
   * not a number.
   */
  static UTF8String name(UTF8String text, LongFunction<UTF8String> lookup) {
    if (text == null) {
      return null;
    }
    int n = text.numBytes();
    int i = 0;
    while (i < n && isSpace(text.getByte(i))) {
      i++;
    }
    boolean negative = i < n && text.getByte(i) == '-';
    if (i < n && (text.getByte(i) == '-' || text.getByte(i) == '+')) {
      i++;
    }
    int digits = i;
    long id = 0;
    while (i < n && text.getByte(i) >= '0' && text.getByte(i) <= '9') {
      // Saturate: any id past MAX_ID has no name, however long the number.
      id = Math.min(id * 10 + (text.getByte(i) - '0'), AccountNames.MAX_ID + 1);
      i++;
    }
    if (i == digits || i != n) {
      return null;
    }
    UTF8String name = negative ? null : lookup.apply(id);
    return name != null ? name : text;
  }

  private static boolean isSpace(byte b) {
    return b == ' ' || (b >= '\t' && b <= '\r');
  }
}
