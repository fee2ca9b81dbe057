package io.tierdex.source;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.SupportsPushDownFilters;
import org.apache.spark.sql.connector.read.SupportsPushDownRequiredColumns;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Takes the columns and filters Spark can hand to SQLite, and leaves it the rest. */
final class GufiScanBuilder implements SupportsPushDownFilters, SupportsPushDownRequiredColumns {
  private final GufiOptions options;
  private final StructType full;
  private final SqliteFilters compiler;
  private StructType required;
  private final List<Filter> pushed = new ArrayList<>();
  private final List<String> where = new ArrayList<>();

  GufiScanBuilder(GufiOptions options, StructType schema) {
    this.options = options;
    this.full = schema;
    this.required = schema;
    Set<String> stored = new HashSet<>();
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
      Optional<String> sql = compiler.compile(f);
      if (sql.isPresent()) {
        pushed.add(f);
        where.add(sql.get());
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

  @Override
  public Scan build() {
    List<String> sqlColumns = new ArrayList<>();
    for (StructField f : required.fields()) {
      if (!f.name().equals(GufiTables.PATH) && !f.name().equals(GufiTables.LEVEL)) {
        sqlColumns.add(f.name());
      }
    }
    ReadPlan plan = new ReadPlan(options.table(), GufiTables.sqlName(options.table()),
        List.copyOf(sqlColumns), String.join(" AND ", where), required,
        GufiTables.optional(options.table()), options.strict());
    return new GufiScan(options, plan, pushedFilters(), full.fields().length);
  }
}
