package io.tierdex.source;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * What every read task of one scan runs against each of its db.db files: the SQL (with
 * pushed filters), the schema Spark wants back, and how damaged files are treated.
 *
 * @param sqlColumns the stored columns selected, in SQL order
 * @param output the pruned Spark schema; {@code path}/{@code level} come from the file
 */
record ReadPlan(String table, String sqlTable, List<String> sqlColumns, String where,
    StructType output, boolean optionalTable, boolean strict) implements Serializable {

  /** The per-file query, against the database attached as {@code g}. */
  String sql() {
    String cols = sqlColumns.isEmpty() ? "1" : String.join(", ",
        sqlColumns.stream().map(c -> "\"" + c + "\"").toList());
    return "SELECT " + cols + " FROM g." + sqlTable + (where.isEmpty() ? "" : " WHERE " + where);
  }
}
