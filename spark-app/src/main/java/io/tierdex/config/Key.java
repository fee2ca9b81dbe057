package io.tierdex.config;

import io.tierdex.policy.Units;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One setting of {@code tierdex.yaml}: its dotted name, what it holds and its default. The
 * table of keys is {@link TierdexConfig#KEYS}; the file, {@code --set} and the defaults all
 * go through {@link #parse}, so a value is checked the same way wherever it comes from.
 */
record Key(String name, Type type, Object defaultValue, List<String> choices) {
  /** What a value may be. */
  enum Type { TEXT, PATH, COUNT, PERCENT, FLAG, CHOICE, HOSTS, BYTES, AGE }

  static Key of(String name, Type type, Object defaultValue) {
    return new Key(name, type, defaultValue, List.of());
  }

  static Key choice(String name, String defaultValue, String... choices) {
    return new Key(name, Type.CHOICE, defaultValue, List.of(choices));
  }

  /** The value YAML gave (a String, Number, Boolean, List or null), checked and typed. */
  Object parse(Object raw, String where) {
    if (raw == null) {
      return defaultValue;
    }
    String text = raw instanceof List<?> ? null : String.valueOf(raw).strip();
    return switch (type) {
      case TEXT, PATH -> {
        if (raw instanceof List<?> || raw instanceof java.util.Map<?, ?> || text.isEmpty()) {
          throw wrong(where, raw, type == Type.PATH ? "a path" : "a text");
        }
        yield text;
      }
      case COUNT -> {
        if (!(raw instanceof Number) && !text.matches("\\d+")) {
          throw wrong(where, raw, "a whole number >= 0");
        }
        long n = raw instanceof Number num ? num.longValue() : Long.parseLong(text);
        if (n < 0 || n > Integer.MAX_VALUE || (raw instanceof Number num
            && num.doubleValue() != n)) {
          throw wrong(where, raw, "a whole number >= 0");
        }
        yield (int) n;
      }
      case PERCENT -> {
        double d;
        try {
          d = raw instanceof Number num ? num.doubleValue()
              : Double.parseDouble(text.endsWith("%") ? text.substring(0, text.length() - 1)
                  : text);
        } catch (NumberFormatException e) {
          throw wrong(where, raw, "a percentage from 0 to 100");
        }
        if (!(d >= 0 && d <= 100)) {
          throw wrong(where, raw, "a percentage from 0 to 100");
        }
        yield d;
      }
      case FLAG -> {
        if (raw instanceof Boolean b) {
          yield b;
        }
        yield switch (text.toLowerCase(Locale.ROOT)) {
          case "true", "yes", "on" -> true;
          case "false", "no", "off" -> false;
          default -> throw wrong(where, raw, "true or false");
        };
      }
      case CHOICE -> {
        if (!choices.contains(text)) {
          throw wrong(where, raw, "one of " + String.join(", ", choices));
        }
        yield text;
      }
      case HOSTS -> {
        List<String> hosts = new ArrayList<>();
        for (Object o : raw instanceof List<?> l ? l : List.of(text.split(","))) {
          String h = String.valueOf(o).strip();
          if (o == null || h.isEmpty() || h.contains(" ")) {
            throw wrong(where, raw, "a list of host names, e.g. [client01, client02]");
          }
          hosts.add(h);
        }
        yield List.copyOf(hosts);
      }
      case BYTES -> {
        try {
          yield Units.parseBytes(text);
        } catch (RuntimeException e) {
          throw wrong(where, raw, "a size such as 500MiB or 2GB");
        }
      }
      case AGE -> {
        try {
          yield Units.parseAge(text);
        } catch (RuntimeException e) {
          throw wrong(where, raw, "an age such as 30m, 12h or 7d");
        }
      }
    };
  }

  private ConfigException wrong(String where, Object raw, String expected) {
    return new ConfigException(where + ": " + name + ": expected " + expected + ", got '"
        + raw + "'; fix it in the file or override it with --set " + name + "=VALUE");
  }
}
