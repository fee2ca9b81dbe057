package io.tierdex.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shorthand admins write in conditions, rewritten to plain Spark SQL:
 * <ul>
 *   <li>{@code mtime older than 30d} becomes {@code mtime < 1761177600}, the epoch second
 *       30 days before the plan's time ({@code newer than}: {@code >=});
 *   <li>{@code size >= 1GiB} becomes {@code size >= 1073741824};
 *   <li>{@code path glob '/scratch/*}{@code /**.tmp'} becomes {@code path RLIKE '...'}:
 *       {@code *} and {@code ?} stay within a path component, {@code **} crosses them; a
 *       glob of plain text and {@code **} becomes a {@code LIKE}, which Spark runs as a
 *       prefix or suffix test ({@code path glob '/proj/**'}: {@code path LIKE '/proj/%'}).
 * </ul>
 * Quoted text is left alone. A number with a letter suffix that is neither a size unit nor
 * a Spark literal suffix ({@code 10L}, {@code 1.5D}) is an error: {@code 10G} could mean
 * either power.
 */
final class Conditions {
  private static final Pattern AGE = Pattern.compile(
      "(?i)([A-Za-z_][A-Za-z0-9_]*)\\s+(older|newer)\\s+than\\s+(\\d+\\s*[A-Za-z]*)");
  private static final Pattern GLOB = Pattern.compile(
      "(?i)\\bglob\\s+'((?:[^']|'')*)'");
  private static final Pattern NUMBER = Pattern.compile(
      "(?<![A-Za-z0-9_.])(\\d+(?:\\.\\d+)?)([A-Za-z]+)\\b");
  /** Globs that are plain text and {@code **}: nothing LIKE would read as a wildcard. */
  private static final Pattern LIKE_ABLE = Pattern.compile("(?:[^*?\\[\\]%_\\\\]|\\*\\*)*");
  /** Spark's own literal suffixes: 10L, 10S, 10Y, 1.5D, 1.5F, 1.5BD. */
  private static final Pattern SPARK_SUFFIX = Pattern.compile("(?i)L|S|Y|D|F|BD");

  private final Instant now;

  Conditions(Instant now) {
    this.now = now;
  }

  /** {@code condition} as Spark SQL, or empty with the reason in {@code problem}[0]. */
  Optional<String> toSql(String condition, String[] problem) {
    for (int i = nextQuote(condition, 0); i < condition.length();
        i = nextQuote(condition, i + 1)) {
      int end = closing(condition, i);
      if (end < 0) {
        problem[0] = "the quote " + condition.charAt(i) + " at character " + (i + 1)
            + " is not closed";
        return Optional.empty();
      }
      i = end;
    }
    return rewritePlain(glob(condition), problem);
  }

  /** {@code X glob 'pattern'} as {@code X LIKE 'pattern'} or {@code X RLIKE 'regex'}. */
  private static String glob(String condition) {
    Matcher m = GLOB.matcher(condition);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String glob = m.group(1);
      m.appendReplacement(out, Matcher.quoteReplacement(LIKE_ABLE.matcher(glob).matches()
          ? "LIKE '" + glob.replace("**", "%") + "'" : "RLIKE '" + regex(glob) + "'"));
    }
    m.appendTail(out);
    return out.toString();
  }

  private Optional<String> rewritePlain(String sql, String[] problem) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (c == '\'' || c == '"' || c == '`') {
        int end = closing(sql, i);
        out.append(sql, i, end + 1);
        i = end + 1;
        continue;
      }
      int next = nextQuote(sql, i);
      Optional<String> part = plain(sql.substring(i, next), problem);
      if (part.isEmpty()) {
        return Optional.empty();
      }
      out.append(part.get());
      i = next;
    }
    return Optional.of(out.toString());
  }

  /** Ages, then sizes, in text with no quotes. */
  private Optional<String> plain(String text, String[] problem) {
    Matcher m = AGE.matcher(text);
    StringBuilder aged = new StringBuilder();
    while (m.find()) {
      Optional<Duration> age = Units.age(m.group(3), problem);
      if (age.isEmpty()) {
        return Optional.empty();
      }
      long epoch = now.minus(age.get()).getEpochSecond();
      boolean older = m.group(2).equalsIgnoreCase("older");
      m.appendReplacement(aged, Matcher.quoteReplacement(m.group(1) + (older ? " < " : " >= ")
          + epoch));
    }
    m.appendTail(aged);
    Matcher n = NUMBER.matcher(aged);
    StringBuilder sized = new StringBuilder();
    while (n.find()) {
      if (SPARK_SUFFIX.matcher(n.group(2)).matches()) {
        n.appendReplacement(sized, Matcher.quoteReplacement(n.group()));
        continue;
      }
      Optional<Long> bytes = Units.bytes(n.group(), problem);
      if (bytes.isEmpty()) {
        return Optional.empty();
      }
      n.appendReplacement(sized, String.valueOf(bytes.get()));
    }
    n.appendTail(sized);
    return Optional.of(sized.toString());
  }

  /** A glob as an anchored Java regex, written so it needs no backslashes in SQL. */
  static String regex(String glob) {
    StringBuilder r = new StringBuilder("^");
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        r.append(".*");
        i++;
      } else if (c == '*') {
        r.append("[^/]*");
      } else if (c == '?') {
        r.append("[^/]");
      } else if (c == '[') {
        int end = glob.indexOf(']', i + 2);
        if (end < 0) {
          r.append("[\\\\[]");
        } else {
          String set = glob.substring(i + 1, end);
          r.append('[').append(set.startsWith("!") ? "^" + set.substring(1) : set).append(']');
          i = end;
        }
      } else if (".+()|{}$^\\".indexOf(c) >= 0) {
        r.append(c == '^' || c == '\\' ? "[\\\\" + c + "]" : "[" + c + "]");
      } else {
        r.append(c);
      }
    }
    return r.append('$').toString();
  }

  private static int closing(String s, int open) {
    char q = s.charAt(open);
    for (int i = open + 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && q != '`') {
        i++;
      } else if (c == q) {
        if (i + 1 < s.length() && s.charAt(i + 1) == q) {
          i++;
        } else {
          return i;
        }
      }
    }
    return -1;
  }

  private static int nextQuote(String s, int from) {
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\'' || c == '"' || c == '`') {
        return i;
      }
    }
    return s.length();
  }
}
