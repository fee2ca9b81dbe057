package io.tierdex.source;

import java.util.List;
import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.SparkSessionExtensionsProvider;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.analysis.UnresolvedAttribute;
import org.apache.spark.sql.catalyst.expressions.Concat;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.ExpressionInfo;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.catalyst.expressions.SubstringIndex;
import org.apache.spark.sql.types.DataTypes;
import scala.Function1;
import scala.Tuple3;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.BoxedUnit;

/**
 * GUFI's per-directory context functions. In gufi_query they read the directory being
 * processed; here every row carries its directory in the {@code path} and {@code level}
 * columns of the gufi source, so each function is rewritten into those columns at
 * analysis time and costs nothing per row:
 * {@code path()} = path, {@code epath()} = its last component, {@code level()} = level,
 * ({@code fpath()} is in the udfs module: it resolves path on the executor),
 * {@code rpath(sname, sroll)} = path and {@code rpath(sname, sroll, name)} =
 * path || '/' || name. On rolled-up indexes path must become each row's own directory
 * (from its summary row); the source does not read rolled-up indexes yet.
 */
public final class ContextFunctions implements SparkSessionExtensionsProvider {
  @Override
  public BoxedUnit apply(SparkSessionExtensions ext) {
    register(ext, "path", 0, 0, args -> column(GufiTables.PATH));
    register(ext, "level", 0, 0, args -> column(GufiTables.LEVEL));
    register(ext, "epath", 0, 0, args -> new SubstringIndex(column(GufiTables.PATH),
        Literal.create("/", DataTypes.StringType),
        Literal.create(-1, DataTypes.IntegerType)));
    register(ext, "rpath", 2, 3, args -> args.size() == 2 ? column(GufiTables.PATH)
        : new Concat(CollectionConverters.asScala(List.of(column(GufiTables.PATH),
            Literal.create("/", DataTypes.StringType), args.get(2)))
            .toList()));
    return BoxedUnit.UNIT;
  }

  private interface Builder {
    Expression build(List<Expression> args);
  }

  private static void register(SparkSessionExtensions ext, String name, int minArgs,
      int maxArgs, Builder builder) {
    Function1<Seq<Expression>, Expression> fn = args -> {
      List<Expression> list = CollectionConverters.asJava(args);
      if (list.size() < minArgs || list.size() > maxArgs) {
        throw new IllegalArgumentException(name + "() takes " + (minArgs == maxArgs
            ? String.valueOf(minArgs) : minArgs + " or " + maxArgs) + " arguments, not "
            + list.size());
      }
      return builder.build(list);
    };
    ExpressionInfo info = new ExpressionInfo(ContextFunctions.class.getName(), name);
    ext.injectFunction(new Tuple3<>(FunctionIdentifier.apply(name), info, fn));
  }

  private static Expression column(String name) {
    return UnresolvedAttribute.quoted(name);
  }
}
