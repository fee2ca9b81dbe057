package io.tierdex.source;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.connector.expressions.Expression;
import org.apache.spark.sql.connector.expressions.NamedReference;
import org.apache.spark.sql.connector.expressions.aggregate.AggregateFunc;
import org.apache.spark.sql.connector.expressions.aggregate.Aggregation;
import org.apache.spark.sql.connector.expressions.aggregate.Count;
import org.apache.spark.sql.connector.expressions.aggregate.CountStar;
import org.apache.spark.sql.connector.expressions.aggregate.Max;
import org.apache.spark.sql.connector.expressions.aggregate.Min;
import org.apache.spark.sql.connector.expressions.aggregate.Sum;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.SupportsPushDownAggregates;
import org.apache.spark.sql.connector.read.SupportsPushDownFilters;
import org.apache.spark.sql.connector.read.SupportsPushDownRequiredColumns;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Takes the columns, filters and aggregates Spark can hand to SQLite, and leaves it the
 * rest. A pushed aggregation runs per db.db (partial results); Spark merges the partials.
 */
final class GufiScanBuilder implements SupportsPushDownFilters, SupportsPushDownRequiredColumns,
    SupportsPushDownAggregates {
  private final GufiOptions options;
  private final StructType full;
  private final List<String> stored = new ArrayList<>();
  private final SqliteFilters compiler;
  private StructType required;
  private final List<Filter> pushed = new ArrayList<>();
  private final List<String> where = new ArrayList<>();
  private RowPredicate predicate;
  private Pushdown aggregation;

  /** A pushed aggregation: what each file selects and groups by, and the scan's schema. */
  private record Pushdown(List<String> select, List<String> names, List<String> groupBy,
      boolean groupsOnlyByFile, StructType schema, String description) {}

  GufiScanBuilder(GufiOptions options, StructType schema) {
    this.options = options;
    this.full = schema;
    this.required = schema;
    for (StructField f : schema.fields()) {
      if (!f.name().equals(GufiTables.PATH) && !f.name().equals(GufiTables.LEVEL)) {
        stored.add(f.name());
      }
    }
    this.compiler = new SqliteFilters(stored);
  }

  @Override
  public Filter[] pushFilters(Filter[] filters) {
    List<Filter> rest = new ArrayList<>();
    for (Filter f : filters) {
      Optional<SqliteFilters.Pushed> p = compiler.compile(f);
      if (p.isPresent()) {
        pushed.add(f);
        where.add(p.get().sql());
        predicate = predicate == null ? p.get().predicate()
            : new RowPredicate.And(predicate, p.get().predicate());
      } else {
        rest.add(f);
      }
    }
    return rest.toArray(Filter[]::new);
  }

  @Override
  public Filter[] pushedFilters() {
    return pushed.toArray(Filter[]::new);
  }

  @Override
  public void pruneColumns(StructType requiredSchema) {
    this.required = requiredSchema;
  }

  /**
   * Pushes COUNT, SUM, MIN and MAX over stored columns, grouped by stored columns or by
   * path/level (constant within a file, so the reader fills them). Declines anything else
   * (DISTINCT, expressions, ordering-sensitive aggregates on %q-quoted text). Tables the
   * Java decoder reads keep no aggregation: decoding is cheaper than SQLite's per-file
   * GROUP BY, and Spark's partial aggregation does the same work right after the scan.
   */
  @Override
  public boolean pushAggregation(Aggregation agg) {
    if (javaReader()) {
      return false;
    }
    List<String> select = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<String> groupBy = new ArrayList<>();
    StructType schema = new StructType();
    for (Expression g : agg.groupByExpressions()) {
      String col = column(g);
      if (col == null) {
        return false;
      }
      if (stored.contains(col)) {
        select.add(quote(col));
        names.add(col);
        groupBy.add(quote(col));
      }
      schema = schema.add(full.apply(col));
    }
    for (AggregateFunc a : agg.aggregateExpressions()) {
      String sql = aggregate(a);
      if (sql == null) {
        return false;
      }
      String name = "agg" + names.size();
      select.add(sql);
      names.add(name);
      schema = schema.add(name, resultType(a), true);
    }
    boolean onlyByFile = agg.groupByExpressions().length > 0 && groupBy.isEmpty();
    if (names.size() - agg.aggregateExpressions().length < agg.groupByExpressions().length
        && GufiTables.rolledSql(options.table()) != null) {
      return false; // grouped by path/level, which vary per row in a rolled-up db.db
    }
    aggregation = new Pushdown(select, names, groupBy, onlyByFile, schema,
        Arrays.toString(agg.aggregateExpressions()) + " groupBy="
            + Arrays.toString(agg.groupByExpressions()));
    return true;
  }

  private String aggregate(AggregateFunc a) {
    if (a instanceof CountStar) {
      return "COUNT(*)";
    } else if (a instanceof Count c && !c.isDistinct()) {
      return storedArg("COUNT", c.column(), false);
    } else if (a instanceof Sum s && !s.isDistinct()) {
      return storedArg("SUM", s.column(), true);
    } else if (a instanceof Min m) {
      return ordered("MIN", m.column());
    } else if (a instanceof Max m) {
      return ordered("MAX", m.column());
    }
    return null;
  }

  private String ordered(String fn, Expression arg) {
    String col = column(arg);
    return col == null || GufiTables.QUOTED.contains(col) ? null : storedArg(fn, arg, false);
  }

  private String storedArg(String fn, Expression arg, boolean numeric) {
    String col = column(arg);
    if (col == null || !stored.contains(col)
        || (numeric && full.apply(col).dataType() != DataTypes.LongType)) {
      return null;
    }
    return fn + "(" + quote(col) + ")";
  }

  private DataType resultType(AggregateFunc a) {
    Expression arg = a instanceof Min m ? m.column() : a instanceof Max m ? m.column() : null;
    // MIN/MAX keep their column's type; COUNT, and SUM over 64-bit integers, are longs.
    return arg == null ? DataTypes.LongType : full.apply(column(arg)).dataType();
  }

  private String column(Expression e) {
    if (e instanceof NamedReference r && r.fieldNames().length == 1
        && Arrays.asList(full.fieldNames()).contains(r.fieldNames()[0])) {
      return r.fieldNames()[0];
    }
    return null;
  }

  private boolean javaReader() {
    return options.javaReader() && NativeFileRows.Kind.of(options.table()) != null;
  }

  private static String quote(String col) {
    return "\"" + col + "\"";
  }

  @Override
  public Scan build() {
    String table = options.table();
    if (aggregation != null) {
      ReadPlan plan = new ReadPlan(table, GufiTables.sqlName(table), aggregation.select(),
          aggregation.names(), String.join(" AND ", where), aggregation.groupBy(),
          aggregation.groupsOnlyByFile(), aggregation.schema(), GufiTables.optional(table),
          options.strict(), false, stored, predicate);
      return new GufiScan(options, plan, pushedFilters(), aggregation.description(),
          full.fields().length);
    }
    List<String> columns = new ArrayList<>();
    List<String> select = new ArrayList<>();
    boolean located = false;
    for (StructField f : required.fields()) {
      if (stored.contains(f.name())) {
        columns.add(f.name());
        select.add(quote(f.name()));
      }
      located |= f.name().equals(GufiTables.PATH) || f.name().equals(GufiTables.LEVEL);
    }
    if (located && GufiTables.rolledSql(table) != null) {
      columns.add(GufiTables.ROLLED);
      select.add(GufiTables.rolledSql(table));
    }
    ReadPlan plan = new ReadPlan(table, GufiTables.sqlName(table), select, List.copyOf(columns),
        String.join(" AND ", where), List.of(), false, required, GufiTables.optional(table),
        options.strict(), javaReader(), stored, predicate);
    return new GufiScan(options, plan, pushedFilters(), "", full.fields().length);
  }
}
