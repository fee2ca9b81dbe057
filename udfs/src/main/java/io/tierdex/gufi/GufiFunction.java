package io.tierdex.gufi;

import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.ExpressionInfo;

/**
 * One GUFI SQL function as Spark registers it: the name queries call, the class that
 * implements it and the usage line ({@code DESCRIBE FUNCTION} prints both), and how to
 * build the Catalyst expression from the call's resolved arguments.
 */
record GufiFunction(
    String name, Class<?> implementation, String usage, Function<List<Expression>, Expression> builder) {

  ExpressionInfo info() {
    return new ExpressionInfo(implementation.getName(), null, name, usage, "");
  }
}
