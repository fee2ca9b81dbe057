package io.tierdex.source;

import io.tierdex.gufi.GufiText;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import org.apache.spark.sql.sources.And;
import org.apache.spark.sql.sources.EqualNullSafe;
import org.apache.spark.sql.sources.EqualTo;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.sources.GreaterThan;
import org.apache.spark.sql.sources.GreaterThanOrEqual;
import org.apache.spark.sql.sources.In;
import org.apache.spark.sql.sources.IsNotNull;
import org.apache.spark.sql.sources.IsNull;
import org.apache.spark.sql.sources.LessThan;
import org.apache.spark.sql.sources.LessThanOrEqual;
import org.apache.spark.sql.sources.Not;
import org.apache.spark.sql.sources.Or;
import org.apache.spark.sql.sources.StringStartsWith;

/**
 * Turns Spark filters into SQLite WHERE clauses that select exactly the same rows, or
 * declines. Only columns stored in the db.db qualify ({@code path} and {@code level} are
 * not). On the %q-quoted columns only equality is pushed, with the value quoted the
 * same way; ranges over quoted text would order differently, so Spark keeps them.
 * Each pushed filter comes twice: as SQL, and as the {@link RowPredicate} the Java reader
 * evaluates with the same meaning.
 */
final class SqliteFilters {
  /** A filter both readers can apply. */
  record Pushed(String sql, RowPredicate predicate) {}

  private final List<String> stored;

  /** {@code storedColumns}: the table's stored columns in file order. */
  SqliteFilters(List<String> storedColumns) {
    this.stored = storedColumns;
  }

  Optional<Pushed> compile(Filter f) {
    String sql = sql(f);
    return sql == null ? Optional.empty() : Optional.of(new Pushed(sql, predicate(f)));
  }

  /** The predicate of a filter {@link #sql} accepted. */
  private RowPredicate predicate(Filter f) {
    if (f instanceof EqualTo e) {
      return cmp(e.attribute(), RowPredicate.Op.EQ, e.value());
    } else if (f instanceof EqualNullSafe e) {
      return new RowPredicate.Is(index(e.attribute()), value(e.attribute(), e.value()));
    } else if (f instanceof GreaterThan g) {
      return cmp(g.attribute(), RowPredicate.Op.GT, g.value());
    } else if (f instanceof GreaterThanOrEqual g) {
      return cmp(g.attribute(), RowPredicate.Op.GE, g.value());
    } else if (f instanceof LessThan l) {
      return cmp(l.attribute(), RowPredicate.Op.LT, l.value());
    } else if (f instanceof LessThanOrEqual l) {
      return cmp(l.attribute(), RowPredicate.Op.LE, l.value());
    } else if (f instanceof IsNull n) {
      return new RowPredicate.IsNull(index(n.attribute()), true);
    } else if (f instanceof IsNotNull n) {
      return new RowPredicate.IsNull(index(n.attribute()), false);
    } else if (f instanceof In in) {
      Object[] values = new Object[in.values().length];
      for (int i = 0; i < values.length; i++) {
        values[i] = value(in.attribute(), in.values()[i]);
      }
      return new RowPredicate.In(index(in.attribute()), values);
    } else if (f instanceof StringStartsWith s) {
      return new RowPredicate.Prefix(index(s.attribute()),
          s.value().getBytes(StandardCharsets.UTF_8));
    } else if (f instanceof And a) {
      return new RowPredicate.And(predicate(a.left()), predicate(a.right()));
    } else if (f instanceof Or o) {
      return new RowPredicate.Or(predicate(o.left()), predicate(o.right()));
    }
    return new RowPredicate.Not(predicate(((Not) f).child()));
  }

  private RowPredicate cmp(String attr, RowPredicate.Op op, Object v) {
    return new RowPredicate.Compare(index(attr), op, value(attr, v));
  }

  private int index(String attr) {
    return stored.indexOf(attr);
  }

  /** The literal as the stored value looks: a Long, or UTF-8 text (quoted where GUFI quotes). */
  private static Object value(String attr, Object v) {
    if (v == null) {
      return null;
    } else if (v instanceof String s) {
      return (GufiTables.QUOTED.contains(attr) ? GufiText.quote(s) : s)
          .getBytes(StandardCharsets.UTF_8);
    }
    return ((Number) v).longValue();
  }

  private String sql(Filter f) {
    if (f instanceof EqualTo e) {
      return compare(e.attribute(), "=", e.value(), true);
    } else if (f instanceof EqualNullSafe e) {
      return compare(e.attribute(), "IS", e.value(), true);
    } else if (f instanceof GreaterThan g) {
      return compare(g.attribute(), ">", g.value(), false);
    } else if (f instanceof GreaterThanOrEqual g) {
      return compare(g.attribute(), ">=", g.value(), false);
    } else if (f instanceof LessThan l) {
      return compare(l.attribute(), "<", l.value(), false);
    } else if (f instanceof LessThanOrEqual l) {
      return compare(l.attribute(), "<=", l.value(), false);
    } else if (f instanceof IsNull n) {
      return stored(n.attribute()) ? column(n.attribute()) + " IS NULL" : null;
    } else if (f instanceof IsNotNull n) {
      return stored(n.attribute()) ? column(n.attribute()) + " IS NOT NULL" : null;
    } else if (f instanceof In in) {
      return in(in);
    } else if (f instanceof StringStartsWith s) {
      return startsWith(s);
    } else if (f instanceof And a) {
      String l = sql(a.left());
      String r = sql(a.right());
      return l == null || r == null ? null : "(" + l + " AND " + r + ")";
    } else if (f instanceof Or o) {
      String l = sql(o.left());
      String r = sql(o.right());
      return l == null || r == null ? null : "(" + l + " OR " + r + ")";
    } else if (f instanceof Not n) {
      String inner = sql(n.child());
      return inner == null ? null : "(NOT " + inner + ")";
    }
    return null;
  }

  private String compare(String attr, String op, Object value, boolean equality) {
    if (!stored(attr) || (!equality && GufiTables.QUOTED.contains(attr))) {
      return null;
    }
    String literal = literal(attr, value);
    return literal == null ? null : column(attr) + " " + op + " " + literal;
  }

  private String in(In in) {
    if (!stored(in.attribute()) || in.values().length == 0) {
      return null;
    }
    StringJoiner values = new StringJoiner(", ", column(in.attribute()) + " IN (", ")");
    for (Object v : in.values()) {
      String literal = literal(in.attribute(), v);
      if (literal == null) {
        return null;
      }
      values.add(literal);
    }
    return values.toString();
  }

  private String startsWith(StringStartsWith s) {
    if (!stored(s.attribute()) || GufiTables.QUOTED.contains(s.attribute())) {
      return null;
    }
    // SQLite's LIKE is case-insensitive for ASCII; substr compares bytes like Spark.
    String prefix = s.value();
    return "substr(" + column(s.attribute()) + ", 1, " + prefix.length() + ") = "
        + text(prefix);
  }

  private boolean stored(String attr) {
    return stored.contains(attr);
  }

  private static String column(String attr) {
    return "\"" + attr + "\"";
  }

  /** A SQLite literal for a value Spark compares with, or null to decline. */
  private static String literal(String attr, Object v) {
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return v.toString();
    } else if (v instanceof String s) {
      return text(GufiTables.QUOTED.contains(attr) ? GufiText.quote(s) : s);
    }
    return null; // doubles, decimals, dates, binary: Spark evaluates them
  }

  private static String text(String s) {
    return "'" + s.replace("'", "''") + "'";
  }
}
