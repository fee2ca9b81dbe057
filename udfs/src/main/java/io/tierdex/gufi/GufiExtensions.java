package io.tierdex.gufi;

import java.util.List;
import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.SparkSessionExtensionsProvider;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.ExpressionInfo;
import scala.Function1;
import scala.Tuple3;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.BoxedUnit;

/**
 * Registers GUFI's SQL functions ({@link GufiFunctions#ALL}) in a SparkSession.
 *
 * <p>Listed in {@code META-INF/services/org.apache.spark.sql.SparkSessionExtensionsProvider},
 * so every SparkSession whose driver has this jar on its classpath gets the functions with
 * no configuration; {@code spark.sql.extensions=io.tierdex.gufi.GufiExtensions} does the
 * same where service loading is not wanted or the jar is added late ({@code spark-sql},
 * notebooks). Registering twice is harmless: the second registration replaces the first.
 *
 * <p>The functions follow GUFI's C implementation (src/addqueryfuncs.c, src/histogram.c,
 * src/utils.c); {@code io/tierdex/gufi/FUNCTIONS.md} in this jar lists them, their GUFI
 * source, and the few places where tierdex deliberately differs. The main one: where GUFI
 * aborts the whole query on one value in the data (a failed user lookup, a negative
 * number for {@code intcat}, a time in the future for {@code agecat}), tierdex returns what
 * a batch report can still use: {@code uidtouser} and {@code gidtogroup} the id as text,
 * like {@code ls -l}, the others NULL. Mistakes in the query text itself (a bad {@code
 * blocksize} unit, a wrong number of arguments) still fail it. A NULL argument gives NULL,
 * except where GUFI documents otherwise ({@code basename(NULL)} is the empty string).
 */
public final class GufiExtensions implements SparkSessionExtensionsProvider {

  @Override
  public BoxedUnit apply(SparkSessionExtensions extensions) {
    for (GufiFunction function : GufiFunctions.ALL) {
      extensions.injectFunction(registration(function));
    }
    return BoxedUnit.UNIT;
  }

  private static Tuple3<FunctionIdentifier, ExpressionInfo, Function1<Seq<Expression>, Expression>>
      registration(GufiFunction function) {
    Function1<Seq<Expression>, Expression> builder =
        arguments -> function.builder().apply(List.copyOf(CollectionConverters.asJava(arguments)));
    return new Tuple3<>(FunctionIdentifier.apply(function.name()), function.info(), builder);
  }
}
