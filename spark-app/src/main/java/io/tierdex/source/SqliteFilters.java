package io.tierdex.source;

import io.tierdex.gufi.GufiText;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.function.BinaryOperator;
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
    return Optional.ofNullable(push(f));
  }

  /** The filter as SQL and as a predicate, or null to leave it to Spark. */
  private Pushed push(Filter f) {
    if (f instanceof EqualTo e) {
      return compare(e.attribute(), RowPredicate.Op.EQ, e.value());
    } else if (f instanceof EqualNullSafe e) {
      return isValue(e.attribute(), e.value());
    } else if (f instanceof GreaterThan g) {
      return compare(g.attribute(), RowPredicate.Op.GT, g.value());
    } else if (f instanceof GreaterThanOrEqual g) {
      return compare(g.attribute(), RowPredicate.Op.GE, g.value());
    } else if (f instanceof LessThan l) {
      return compare(l.attribute(), RowPredicate.Op.LT, l.value());
    } else if (f instanceof LessThanOrEqual l) {
      return compare(l.attribute(), RowPredicate.Op.LE, l.value());
    } else if (f instanceof IsNull n) {
      return nullCheck(n.attribute(), true);
    } else if (f instanceof IsNotNull n) {
      return nullCheck(n.attribute(), false);
    } else if (f instanceof In in) {
      return in(in);
    } else if (f instanceof StringStartsWith s) {
      return startsWith(s);
    } else if (f instanceof And a) {
      return both(a.left(), "AND", a.right(), RowPredicate.And::new);
    } else if (f instanceof Or o) {
      return both(o.left(), "OR", o.right(), RowPredicate.Or::new);
    } else if (f instanceof Not n) {
      Pushed inner = push(n.child());
      return inner == null ? null
          : new Pushed("(NOT " + inner.sql() + ")", new RowPredicate.Not(inner.predicate()));
    }
    return null;
  }

  private Pushed both(Filter left, String op, Filter right,
      BinaryOperator<RowPredicate> combine) {
    Pushed l = push(left);
    Pushed r = push(right);
    return l == null || r == null ? null : new Pushed("(" + l.sql() + " " + op + " "
        + r.sql() + ")", combine.apply(l.predicate(), r.predicate()));
  }

  private Pushed compare(String attr, RowPredicate.Op op, Object value) {
    boolean equality = op == RowPredicate.Op.EQ;
    if (!stored(attr) || (!equality && GufiTables.QUOTED.contains(attr))) {
      return null;
    }
    String literal = literal(attr, value);
    return literal == null ? null : new Pushed(column(attr) + " " + op.sql + " " + literal,
        new RowPredicate.Compare(index(attr), op, value(attr, value)));
  }

  private Pushed isValue(String attr, Object value) {
    String literal = stored(attr) ? literal(attr, value) : null;
    return literal == null ? null : new Pushed(column(attr) + " IS " + literal,
        new RowPredicate.Is(index(attr), value(attr, value)));
  }

  private Pushed nullCheck(String attr, boolean isNull) {
    return !stored(attr) ? null : new Pushed(column(attr) + (isNull ? " IS NULL" : " IS NOT NULL"),
        new RowPredicate.IsNull(index(attr), isNull));
  }

  private Pushed in(In in) {
    if (!stored(in.attribute()) || in.values().length == 0) {
      return null;
    }
    StringJoiner sql = new StringJoiner(", ", column(in.attribute()) + " IN (", ")");
    Object[] values = new Object[in.values().length];
    for (int i = 0; i < values.length; i++) {
      String literal = literal(in.attribute(), in.values()[i]);
      if (literal == null) {
        return null;
      }
      sql.add(literal);
      values[i] = value(in.attribute(), in.values()[i]);
    }
    return new Pushed(sql.toString(), new RowPredicate.In(index(in.attribute()), values));
  }

  private Pushed startsWith(StringStartsWith s) {
    if (!stored(s.attribute()) || GufiTables.QUOTED.contains(s.attribute())) {
      return null;
    }
    // SQLite's LIKE is case-insensitive for ASCII; substr compares bytes like Spark.
    String prefix = s.value();
    return new Pushed("substr(" + column(s.attribute()) + ", 1, " + prefix.length() + ") = "
        + text(prefix), new RowPredicate.Prefix(index(s.attribute()),
            prefix.getBytes(StandardCharsets.UTF_8)));
  }

  private boolean stored(String attr) {
    return stored.contains(attr);
  }

  private int index(String attr) {
    return stored.indexOf(attr);
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

  /** The same literal as the stored value looks to the Java reader: a Long or UTF-8 text. */
  private static Object value(String attr, Object v) {
    if (v instanceof String s) {
      return (GufiTables.QUOTED.contains(attr) ? GufiText.quote(s) : s)
          .getBytes(StandardCharsets.UTF_8);
    }
    return ((Number) v).longValue();
  }

  private static String text(String s) {
    return "'" + s.replace("'", "''") + "'";
  }
}
