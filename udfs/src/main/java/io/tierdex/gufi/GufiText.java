package io.tierdex.gufi;

/**
 * GUFI's on-disk text convention for names and link targets.
 *
 * <p>GUFI passes every name through SQLite's {@code %q} formatting before binding it, so
 * a file called {@code it's} is stored as {@code it''s}. tierdex writes names the same
 * way, byte for byte, so GUFI's tools and tierdex read each other's indexes; readers
 * call {@link #unquote} to get the real name back.
 */
public final class GufiText {
  private GufiText() {}

  /** The stored form of a real name: every single quote doubled, as {@code %q} does. */
  public static String quote(String name) {
    return name.indexOf('\'') < 0 ? name : name.replace("'", "''");
  }

  /** The real name behind a stored one: the inverse of {@link #quote}. */
  public static String unquote(String stored) {
    return stored == null || stored.indexOf('\'') < 0 ? stored : stored.replace("''", "'");
  }
}
