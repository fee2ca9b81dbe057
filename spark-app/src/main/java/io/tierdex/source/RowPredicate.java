package io.tierdex.source;

import io.tierdex.sqlite.SqliteRecord.StorageClass;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;

/**
 * A pushed filter as the Java reader evaluates it, with SQLite's semantics so that both
 * readers select the same rows: three-valued logic (NULL is neither true nor false),
 * BINARY text comparison, and SQLite's order across storage classes (numbers before
 * text before blobs). Built on the driver by {@link SqliteFilters}, next to the SQL.
 */
sealed interface RowPredicate extends Serializable {
  /** 1 true, 0 false, -1 NULL. */
  int eval(NativeRow row);

  default boolean accepts(NativeRow row) {
    return eval(row) == 1;
  }

  /** A comparison, with its SQL operator. */
  enum Op {
    EQ("="), LT("<"), LE("<="), GT(">"), GE(">=");

    final String sql;

    Op(String sql) {
      this.sql = sql;
    }
  }

  /** {@code column op literal}, the literal a Long or UTF-8 text already GUFI-quoted. */
  record Compare(int column, Op op, Object literal) implements RowPredicate {
    @Override
    public int eval(NativeRow row) {
      if (row.storageClass(column) == StorageClass.NULL) {
        return -1;
      }
      int c = compare(row, column, literal);
      boolean r = switch (op) {
        case EQ -> c == 0;
        case LT -> c < 0;
        case LE -> c <= 0;
        case GT -> c > 0;
        case GE -> c >= 0;
      };
      return r ? 1 : 0;
    }
  }

  /** {@code column IS literal}: equality in which NULL equals NULL, never unknown. */
  record Is(int column, Object literal) implements RowPredicate {
    @Override
    public int eval(NativeRow row) {
      boolean isNull = row.storageClass(column) == StorageClass.NULL;
      if (literal == null || isNull) {
        return literal == null && isNull ? 1 : 0;
      }
      return compare(row, column, literal) == 0 ? 1 : 0;
    }
  }

  record IsNull(int column, boolean wanted) implements RowPredicate {
    @Override
    public int eval(NativeRow row) {
      return (row.storageClass(column) == StorageClass.NULL) == wanted ? 1 : 0;
    }
  }

  record In(int column, Object[] literals) implements RowPredicate {
    @Override
    public int eval(NativeRow row) {
      if (row.storageClass(column) == StorageClass.NULL) {
        return -1;
      }
      for (Object l : literals) {
        if (compare(row, column, l) == 0) {
          return 1;
        }
      }
      return 0;
    }
  }

  /** {@code substr(column, 1, n) = prefix}. */
  record Prefix(int column, byte[] prefix) implements RowPredicate {
    @Override
    public int eval(NativeRow row) {
      StorageClass sc = row.storageClass(column);
      if (sc == StorageClass.NULL) {
        return -1;
      } else if (sc == StorageClass.TEXT || sc == StorageClass.BLOB) {
        return row.startsWith(column, prefix) ? 1 : 0;
      }
      return row.getString(column).startsWith(new String(prefix, StandardCharsets.UTF_8)) ? 1 : 0;
    }
  }

  record And(RowPredicate left, RowPredicate right) implements RowPredicate {
    @Override
    public int eval(NativeRow row) {
      int l = left.eval(row);
      if (l == 0) {
        return 0;
      }
      int r = right.eval(row);
      return r == 0 ? 0 : (l == 1 && r == 1 ? 1 : -1);
    }
  }

  record Or(RowPredicate left, RowPredicate right) implements RowPredicate {
    @Override
    public int eval(NativeRow row) {
      int l = left.eval(row);
      if (l == 1) {
        return 1;
      }
      int r = right.eval(row);
      return r == 1 ? 1 : (l == 0 && r == 0 ? 0 : -1);
    }
  }

  record Not(RowPredicate child) implements RowPredicate {
    @Override
    public int eval(NativeRow row) {
      int c = child.eval(row);
      return c == -1 ? -1 : 1 - c;
    }
  }

  /** SQLite's order of a non-NULL stored value against a Long or UTF-8 text literal. */
  private static int compare(NativeRow row, int column, Object literal) {
    StorageClass sc = row.storageClass(column);
    if (literal instanceof Long l) {
      return switch (sc) {
        case INTEGER -> Long.compare(row.getLong(column), l);
        case REAL -> Double.compare(row.getDouble(column), l.doubleValue());
        default -> 1; // text and blobs sort after every number
      };
    }
    byte[] text = (byte[]) literal;
    return switch (sc) {
      case TEXT -> row.compareBytes(column, text);
      case BLOB -> 1;
      default -> -1;
    };
  }
}
