package io.tierdex.source;

import java.util.Map;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * The {@code gufi} data source: a GUFI index forest (one db.db per directory) as a
 * DataFrame, e.g. {@code spark.read().format("gufi").option("table", "pentries").load(root)}.
 */
public final class GufiDataSource implements TableProvider, DataSourceRegister {
  @Override
  public String shortName() {
    return "gufi";
  }

  @Override
  public StructType inferSchema(CaseInsensitiveStringMap options) {
    return GufiTables.schema(GufiOptions.from(options).table());
  }

  @Override
  public Table getTable(StructType schema, Transform[] partitioning,
      Map<String, String> properties) {
    GufiOptions options = GufiOptions.from(properties);
    return new GufiTable(options, GufiTables.schema(options.table()));
  }
}
