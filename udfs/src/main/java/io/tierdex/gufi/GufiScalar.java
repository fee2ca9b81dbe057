package io.tierdex.gufi;

import org.apache.spark.sql.connector.catalog.functions.ScalarFunction;
import org.apache.spark.sql.types.DataType;

/**
 * What Spark needs to know about a GUFI scalar function besides its {@code invoke}: its
 * name, the types Spark casts the arguments to, and the result type.
 *
 * <p>Subclasses are public with a public {@code invoke}: Spark's generated code calls
 * them directly, which is what makes these functions as fast as built-ins. A primitive
 * {@code invoke} parameter means a NULL argument gives NULL without a call; object
 * parameters ({@code UTF8String}) receive the NULL.
 */
abstract class GufiScalar<R> implements ScalarFunction<R> {
  private final String name;
  private final DataType[] inputTypes;
  private final DataType resultType;

  GufiScalar(String name, DataType resultType, DataType... inputTypes) {
    this.name = name;
    this.resultType = resultType;
    this.inputTypes = inputTypes;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final DataType[] inputTypes() {
    return inputTypes.clone();
  }

  @Override
  public final DataType resultType() {
    return resultType;
  }
}
