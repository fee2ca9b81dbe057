package io.tierdex.gufi;

import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.catalog.functions.AggregateFunction;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * {@code mode_count(value)}: the most frequent value and how often it occurs, as GUFI's
 * {@code mode_count} (src/histogram.c) reports it: {@code '<bytes>:<value>:<count>;'}, e.g.
 * {@code '3:txt:42;'}, where {@code <bytes>} is the value's length in bytes. NULLs are not
 * counted; no values, or a tie for the most frequent, gives NULL (GUFI: "multiple modes
 * -> no mode"). Values are compared as text, as GUFI compares them.
 */
public final class ModeCount implements AggregateFunction<HashMap<UTF8String, Long>, UTF8String> {
  static final ModeCount INSTANCE = new ModeCount();

  private ModeCount() {}

  @Override
  public HashMap<UTF8String, Long> newAggregationState() {
    return new HashMap<>();
  }

  @Override
  public HashMap<UTF8String, Long> update(HashMap<UTF8String, Long> counts, InternalRow input) {
    if (!input.isNullAt(0)) {
      // A copy: the row's bytes are reused for the next row.
      counts.merge(input.getUTF8String(0).clone(), 1L, Long::sum);
    }
    return counts;
  }

  @Override
  public HashMap<UTF8String, Long> merge(HashMap<UTF8String, Long> left, HashMap<UTF8String, Long> right) {
    right.forEach((value, count) -> left.merge(value, count, Long::sum));
    return left;
  }

  @Override
  public UTF8String produceResult(HashMap<UTF8String, Long> counts) {
    UTF8String mode = null;
    long top = 0;
    boolean tied = false;
    for (Map.Entry<UTF8String, Long> entry : counts.entrySet()) {
      long count = entry.getValue();
      if (count > top) {
        mode = entry.getKey();
        top = count;
        tied = false;
      } else if (count == top) {
        tied = true;
      }
    }
    if (mode == null || tied) {
      return null;
    }
    return UTF8String.concat(
        UTF8String.fromString(mode.numBytes() + ":"), mode, UTF8String.fromString(":" + top + ";"));
  }

  @Override
  public DataType[] inputTypes() {
    return new DataType[] {DataTypes.StringType};
  }

  @Override
  public DataType resultType() {
    return DataTypes.StringType;
  }

  @Override
  public String name() {
    return "mode_count";
  }
}
