package io.tierdex.gufi;

import java.util.Objects;
import java.util.stream.Collectors;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.codegen.CodegenContext;
import org.apache.spark.sql.catalyst.expressions.codegen.ExprCode;
import org.apache.spark.sql.types.DataType;
import scala.collection.immutable.IndexedSeq;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * A GUFI function call as SQL shows it. Spark names a V2 function call after its
 * implementation ({@code static_invoke(io.tierdex.gufi.ModeToText.invoke(mode))}); this
 * wrapper gives the column and the plan the name the query used ({@code
 * modetotxt(mode)}) and otherwise passes evaluation and code generation straight to the
 * expression that implements the function. The name shows the implementation's first
 * {@code shown} arguments: those the query passed, not the ones the builder added.
 */
final class GufiCall extends Expression implements java.io.Serializable {
  private final String name;
  private final int shown;
  private final Expression implementation;
  private final Seq<Expression> children;

  GufiCall(String name, int shown, Expression implementation) {
    this.name = name;
    this.shown = shown;
    this.implementation = implementation;
    this.children = GufiFunctions.seq(java.util.List.of(implementation));
  }

  @Override
  public Seq<Expression> children() {
    return children;
  }

  @Override
  public Expression withNewChildrenInternal(IndexedSeq<Expression> newChildren) {
    return new GufiCall(name, shown, newChildren.head());
  }

  @Override
  public boolean foldable() {
    return implementation.foldable();
  }

  @Override
  public DataType dataType() {
    return implementation.dataType();
  }

  @Override
  public boolean nullable() {
    return implementation.nullable();
  }

  @Override
  public Object eval(InternalRow input) {
    return implementation.eval(input);
  }

  @Override
  public ExprCode doGenCode(CodegenContext ctx, ExprCode ev) {
    return implementation.genCode(ctx);
  }

  @Override
  public String prettyName() {
    return name;
  }

  @Override
  public String sql() {
    return name + shownArguments().stream().map(Expression::sql).collect(Collectors.joining(", ", "(", ")"));
  }

  @Override
  public String toString() {
    return name + shownArguments().stream().map(Expression::toString).collect(Collectors.joining(", ", "(", ")"));
  }

  private java.util.List<Expression> shownArguments() {
    return CollectionConverters.asJava(implementation.children()).subList(0, shown);
  }

  @Override
  public int productArity() {
    return 3;
  }

  @Override
  public Object productElement(int n) {
    return switch (n) {
      case 0 -> name;
      case 1 -> shown;
      case 2 -> implementation;
      default -> throw new IndexOutOfBoundsException(n);
    };
  }

  @Override
  public boolean canEqual(Object other) {
    return other instanceof GufiCall;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof GufiCall call && name.equals(call.name) && shown == call.shown
        && implementation.equals(call.implementation);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, shown, implementation);
  }
}
