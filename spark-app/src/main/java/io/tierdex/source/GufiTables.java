package io.tierdex.source;

import io.tierdex.index.GufiSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The tables a {@code gufi} DataFrame can read, with Spark schemas taken from the GUFI
 * schema itself (PRAGMA table_info on a template database), so they cannot drift from
 * what the indexer writes. Every table gets two more columns: {@code path}, the row's
 * directory as GUFI's {@code path()} spells it, and {@code level}, its depth below the
 * loaded root.
 */
public final class GufiTables {
  public static final String PATH = "path";
  public static final String LEVEL = "level";
  /** Text columns GUFI stores %q-quoted ({@code it''s}); the reader unquotes them. */
  static final Set<String> QUOTED = Set.of("name", "linkname", "sname", "dname");
  /** What users call the table and what it is called inside a db.db. */
  private static final Map<String, String> SQL_NAMES = Map.of("xattrs", "xattrs_avail");
  /** Tables that only some db.db files carry; their absence is not damage. */
  private static final Set<String> OPTIONAL = Set.of("treesummary");

  /** Built on first use only: executors need the constants above, not the schemas. */
  private static final class Schemas {
    static final Map<String, StructType> ALL = load();
  }

  /** The hidden SQL column that names a rolled-up row's own directory (NULL: this one). */
  static final String ROLLED = "__rolled";
  private static final String ROLLED_SUMMARY = "CASE WHEN isroot = 1 THEN NULL ELSE name END";
  /** A rolled-up row's directory is the summary row of the inode it names. */
  private static final String ROLLED_BY_INODE = "(SELECT s.name FROM g.summary AS s "
      + "WHERE s.inode = %s AND s.isroot <> 1 LIMIT 1)";
  /** Per table, the SQL of {@link #ROLLED}, for the SQLite reader (GUFI's rpath inputs). */
  private static final Map<String, String> ROLLED_SQL = Map.of(
      "summary", ROLLED_SUMMARY,
      "vsummarydir", ROLLED_SUMMARY,
      "vsummaryuser", ROLLED_SUMMARY,
      "vsummarygroup", ROLLED_SUMMARY,
      "vrsummary", "CASE WHEN isroot = 1 OR sroll = 0 THEN NULL ELSE sname END",
      "vrpentries", "CASE WHEN atroot = 1 OR sroll = 0 THEN NULL ELSE sname END",
      "pentries", ROLLED_BY_INODE.formatted("pentries.pinode"),
      "pentries_rollup", ROLLED_BY_INODE.formatted("pentries_rollup.pinode"),
      "treesummary", ROLLED_BY_INODE.formatted("treesummary.inode"));

  private GufiTables() {}

  /** The SQL naming a row's rolled-up directory, or null where rows are always this dir's. */
  static String rolledSql(String table) {
    return ROLLED_SQL.get(table.toLowerCase(Locale.ROOT));
  }

  /** The Spark schema of {@code table}, or a clear error listing the tables there are. */
  public static StructType schema(String table) {
    StructType s = Schemas.ALL.get(table.toLowerCase(Locale.ROOT));
    if (s == null) {
      throw new IllegalArgumentException("gufi: no table '" + table + "' in a GUFI index; "
          + "use option(\"table\", ...) with one of " + String.join(", ", Schemas.ALL.keySet()));
    }
    return s;
  }

  /** The name to use inside the db.db. */
  static String sqlName(String table) {
    String t = table.toLowerCase(Locale.ROOT);
    return SQL_NAMES.getOrDefault(t, t);
  }

  static boolean optional(String table) {
    return OPTIONAL.contains(table.toLowerCase(Locale.ROOT));
  }

  private static Map<String, StructType> load() {
    Map<String, StructType> out = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:");
        Statement s = c.createStatement()) {
      for (String sql : GufiSchema.readStatements()) {
        s.execute(sql);
      }
      s.execute(resource("gufi-treesummary-schema.sql"));
      for (String table : new String[] {"entries", "pentries", "summary", "vrsummary",
          "vrpentries", "treesummary", "xattrs", "pentries_rollup", "vsummarydir",
          "vsummaryuser", "vsummarygroup"}) {
        out.put(table, columns(s, sqlName(table)));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("the bundled GUFI schema does not load: " + e.getMessage(), e);
    }
    return Collections.unmodifiableMap(out); // keeps the order for error messages
  }

  private static StructType columns(Statement s, String sqlTable) throws SQLException {
    StructType schema = new StructType();
    try (ResultSet rs = s.executeQuery("PRAGMA table_info(" + sqlTable + ")")) {
      while (rs.next()) {
        String name = rs.getString("name");
        schema = schema.add(new StructField(name, sparkType(name, rs.getString("type")), true,
            Metadata.empty()));
      }
    }
    return schema.add(PATH, DataTypes.StringType, false).add(LEVEL, DataTypes.IntegerType, false);
  }

  /** GUFI declares INT64 (and once INT16), TEXT and BLOB; view expressions have no type. */
  private static DataType sparkType(String column, String declared) {
    String t = declared == null ? "" : declared.toUpperCase(Locale.ROOT);
    if (t.contains("INT")) {
      return DataTypes.LongType;
    } else if (t.contains("TEXT")) {
      return DataTypes.StringType;
    } else if (t.contains("BLOB")) {
      return DataTypes.BinaryType;
    }
    return column.equals("dname") ? DataTypes.StringType : DataTypes.LongType;
  }

  private static String resource(String name) {
    try (InputStream in = GufiTables.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("resource " + name + " is missing from the tierdex jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
