package io.tierdex.snapshot;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** A written change set, read back for assertions: one line per path, sorted. */
record Changes(Map<String, Row> byPath) {

  static Changes read(SparkSession spark, StateDir state, RunId run) {
    Map<String, Row> rows = new TreeMap<>();
    for (Row r : spark.read().parquet(state.output(run, "changes").toString()).collectAsList()) {
      Row previous = rows.put(r.getAs("path"), r);
      if (previous != null) {
        throw new AssertionError("two change rows for " + r.getAs("path"));
      }
    }
    return new Changes(rows);
  }

  /** {@code KIND path [changed fields] <- old path}, paths relative to {@code root}. */
  List<String> lines(String root) {
    return byPath.values().stream().map(r -> {
      String line = r.<String>getAs("kind") + " " + rel(root, r.getAs("path"));
      int at = r.fieldIndex("changed");
      List<String> changed = r.isNullAt(at) ? List.of() : r.getList(at);
      if (!changed.isEmpty()) {
        line += " " + Arrays.toString(changed.toArray());
      }
      String old = r.getAs("old_path");
      return old == null ? line : line + " <- " + rel(root, old);
    }).toList();
  }

  private static String rel(String root, String path) {
    return path.startsWith(root + "/") ? path.substring(root.length() + 1) : path;
  }
}
