package io.tierdex.policy;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF4;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * Which sorted range a classified file goes to, from bounds drawn from a sample of the
 * files. Spark's own range partitioning samples by computing its whole input once more,
 * here a second pass over the snapshot; a snapshot's bucket files are each a random
 * sample of it (bucketed by a hash of the path), so a few of them give the bounds for a
 * fraction of that cost.
 */
final class RangeIds implements Serializable {
  /** A row's place in the planner's order: sort_key, weight (desc), size (desc), path. */
  private record Key(long sortKey, Double weight, long size, byte[] path) implements
      Serializable {}

  /** Spark's order of the planner's sort: nulls last for weight (desc), first for path. */
  private static final Comparator<Key> ORDER_BUT_PATH = Comparator.comparingLong(
      Key::sortKey).thenComparing(Key::weight, Comparator.nullsLast(Comparator.comparingDouble(
          (Double w) -> w == 0 ? 0.0 : w).reversed()))
      .thenComparing(Comparator.comparingLong(Key::size).reversed());
  private static final Comparator<byte[]> PATH = Comparator.nullsFirst(Arrays::compareUnsigned);
  private static final Comparator<Key> ORDER = ORDER_BUT_PATH.thenComparing(Key::path, PATH);

  private final Key[] bounds;

  private RangeIds(Key[] bounds) {
    this.bounds = bounds;
  }

  /**
   * {@code ranges} ranges even in rows over {@code sample}'s rows (columns sort_key, weight,
   * size, path): the bounds are the sample's quantiles.
   */
  static RangeIds of(List<Row> sample, int ranges) {
    Key[] keys = sample.stream().map(r -> key(r.getLong(0), r.isNullAt(1) ? null
        : r.getDouble(1), r.getLong(2), r.isNullAt(3) ? null : r.getString(3)))
        .sorted(ORDER).toArray(Key[]::new);
    Key[] bounds = new Key[keys.length == 0 ? 0 : ranges - 1];
    for (int i = 0; i < bounds.length; i++) {
      bounds[i] = keys[(int) ((long) keys.length * (i + 1) / ranges)];
    }
    return new RangeIds(bounds);
  }

  /** The range of a row: how many bounds sort before it. */
  int id(long sortKey, Double weight, long size, String path) {
    // Called for every file: the path is encoded only when a bound ties on the rest.
    Key k = new Key(sortKey, weight, size, null);
    byte[] bytes = null;
    int lo = 0;
    int hi = bounds.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      int c = ORDER_BUT_PATH.compare(bounds[mid], k);
      if (c == 0) {
        if (bytes == null && path != null) {
          bytes = path.getBytes(StandardCharsets.UTF_8);
        }
        c = PATH.compare(bounds[mid].path(), bytes);
      }
      if (c < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** {@link #id} as a Spark function of sort_key, weight, size and path. */
  UserDefinedFunction udf() {
    return functions.udf((UDF4<Long, Double, Long, String, Integer>) (k, w, s, p) ->
        id(k, w, s, p), DataTypes.IntegerType);
  }

  private static Key key(long sortKey, Double weight, long size, String path) {
    return new Key(sortKey, weight, size, path == null ? null
        : path.getBytes(StandardCharsets.UTF_8));
  }
}
