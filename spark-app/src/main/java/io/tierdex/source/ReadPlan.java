package io.tierdex.source;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * What every read task of one scan runs against each of its db.db files: the SQL (with
 * pushed filters), the schema Spark wants back, and how damaged files are treated.
 *
 * @param select the SQL expressions selected per file (columns, or pushed aggregates)
 * @param selectNames the output field each expression fills, by name
 * @param groupBy the SQL GROUP BY list of a pushed aggregation, or empty
 * @param groupsOnlyByFile a pushed aggregation grouped by path/level alone: a file with
 *     no matching rows must yield no group (SQLite would yield COUNT 0)
 * @param output the Spark schema of the scan; {@code path}/{@code level} come from the file
 * @param javaReader read with the Java decoder ({@link NativeFileRows}), else SQLite
 * @param tableColumns the table's stored columns in file order (the Java reader's indexes)
 * @param predicate the pushed filters for the Java reader, or null for none
 */
record ReadPlan(String table, String sqlTable, List<String> select, List<String> selectNames,
    String where, List<String> groupBy, boolean groupsOnlyByFile, StructType output,
    boolean optionalTable, boolean strict, boolean javaReader, List<String> tableColumns,
    RowPredicate predicate) implements Serializable {

  /** The per-file query, against the database attached as {@code g}. */
  String sql() {
    return "SELECT " + (select.isEmpty() ? "1" : String.join(", ", select)) + " FROM g."
        + sqlTable + (where.isEmpty() ? "" : " WHERE " + where)
        + (groupBy.isEmpty() ? "" : " GROUP BY " + String.join(", ", groupBy))
        + (groupsOnlyByFile ? " HAVING COUNT(*) > 0" : "");
  }
}
