package io.tierdex.gufi;

import java.io.Serializable;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.catalog.functions.AggregateFunction;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * {@code stdevp(x)}: the population standard deviation, as GUFI's {@code stdevp}
 * (src/addqueryfuncs.c): NULL below two values. Spark's {@code stddev_pop} returns 0 for
 * a single value, hence this function; {@code stdevs} is Spark's {@code stddev_samp},
 * which already matches GUFI.
 *
 * <p>GUFI sums values and squares and subtracts at the end, which loses precision (or goes
 * negative) on large, close values such as timestamps; this uses Welford's update and
 * Chan's merge, as Spark does, so results agree with GUFI's to rounding and are better
 * where GUFI's are off. NULLs are skipped, as by every SQL aggregate (GUFI's C reads NULL
 * as 0 and counts it).
 */
public final class PopulationStdev implements AggregateFunction<PopulationStdev.Moments, Double> {
  static final PopulationStdev INSTANCE = new PopulationStdev();

  private PopulationStdev() {}

  /** Count, mean and sum of squared deviations of the values seen so far. */
  public static final class Moments implements Serializable {
    private static final long serialVersionUID = 1L;
    long n;
    double mean;
    double m2;
  }

  @Override
  public Moments newAggregationState() {
    return new Moments();
  }

  @Override
  public Moments update(Moments s, InternalRow input) {
    if (!input.isNullAt(0)) {
      double x = input.getDouble(0);
      s.n++;
      double delta = x - s.mean;
      s.mean += delta / s.n;
      s.m2 += delta * (x - s.mean);
    }
    return s;
  }

  @Override
  public Moments merge(Moments a, Moments b) {
    if (b.n == 0) {
      return a;
    }
    if (a.n == 0) {
      return b;
    }
    long n = a.n + b.n;
    double delta = b.mean - a.mean;
    a.m2 += b.m2 + delta * delta * a.n * b.n / n;
    a.mean += delta * b.n / n;
    a.n = n;
    return a;
  }

  @Override
  public Double produceResult(Moments s) {
    return s.n < 2 ? null : Math.sqrt(s.m2 / s.n);
  }

  @Override
  public DataType[] inputTypes() {
    return new DataType[] {DataTypes.DoubleType};
  }

  @Override
  public DataType resultType() {
    return DataTypes.DoubleType;
  }

  @Override
  public String name() {
    return "stdevp";
  }
}
