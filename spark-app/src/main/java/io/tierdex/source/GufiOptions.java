package io.tierdex.source;

import java.io.Serializable;
import java.util.Locale;
import java.util.Map;

/**
 * The options of {@code spark.read().format("gufi")}: {@code path} (the index root, as
 * given to {@code load}), {@code table}, {@code minLevel}, {@code maxLevel} and
 * {@code strict} (a damaged db.db fails the query instead of being skipped) and
 * {@code reader}: {@code java} (default; decodes the tables it knows without SQLite) or
 * {@code sqlite} (every file through SQLite, as GUFI reads it).
 */
record GufiOptions(String root, String table, int minLevel, int maxLevel, boolean strict,
    boolean javaReader) implements Serializable {

  static GufiOptions from(Map<String, String> options) {
    CaseInsensitive o = new CaseInsensitive(options);
    String root = o.get("path");
    if (root == null || root.isBlank()) {
      throw new IllegalArgumentException(
          "gufi: no index root; use spark.read().format(\"gufi\").load(\"/path/to/index\")");
    }
    String table = o.getOrDefault("table", "entries").toLowerCase(Locale.ROOT);
    GufiTables.schema(table); // fails early, naming the tables there are
    int min = level(o, "minLevel", 0);
    int max = level(o, "maxLevel", Integer.MAX_VALUE);
    if (min > max) {
      throw new IllegalArgumentException("gufi: minLevel " + min + " is above maxLevel " + max);
    }
    String reader = o.getOrDefault("reader", "java").strip().toLowerCase(Locale.ROOT);
    if (!reader.equals("java") && !reader.equals("sqlite")) {
      throw new IllegalArgumentException("gufi: option reader must be java or sqlite, not '"
          + reader + "'");
    }
    return new GufiOptions(root, table, min, max,
        Boolean.parseBoolean(o.getOrDefault("strict", "false")), reader.equals("java"));
  }

  private static int level(CaseInsensitive o, String key, int fallback) {
    String v = o.get(key);
    if (v == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v.strip());
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("gufi: option " + key + " must be a level >= 0, not '"
          + v + "'");
    }
  }

  /** Spark hands options in a case-insensitive map, but not always (properties). */
  private record CaseInsensitive(Map<String, String> map) {
    String get(String key) {
      for (Map.Entry<String, String> e : map.entrySet()) {
        if (e.getKey().equalsIgnoreCase(key)) {
          return e.getValue();
        }
      }
      return null;
    }

    String getOrDefault(String key, String fallback) {
      String v = get(key);
      return v == null ? fallback : v;
    }
  }
}
