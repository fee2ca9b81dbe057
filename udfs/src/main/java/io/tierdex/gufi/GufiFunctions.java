package io.tierdex.gufi;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.analysis.FunctionRegistry;
import org.apache.spark.sql.catalyst.analysis.UnresolvedAttribute;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.catalyst.expressions.V2ExpressionUtils;
import org.apache.spark.sql.catalyst.expressions.aggregate.StddevSamp;
import org.apache.spark.sql.catalyst.expressions.aggregate.V2Aggregator;
import org.apache.spark.sql.catalyst.expressions.objects.StaticInvoke;
import org.apache.spark.sql.connector.catalog.functions.AggregateFunction;
import org.apache.spark.sql.connector.catalog.functions.ScalarFunction;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The GUFI SQL functions tierdex registers, one row per function, and the few ways a row
 * turns a call's arguments into a Spark expression. Adding a function is adding a row:
 * usually a {@link GufiScalar} subclass with a static {@code invoke}, built by {@link
 * #scalar}.
 *
 * <p>Two GUFI functions need no row: {@code median} is Spark's built-in (same results,
 * see FUNCTIONS.md), and {@code x REGEXP 'pattern'} is Spark's {@code RLIKE}. The context
 * functions ({@code path()}, {@code rpath()}, {@code level()}, ...) belong with the index
 * reader, which knows the directory of each row.
 */
final class GufiFunctions {
  private GufiFunctions() {}

  static final List<GufiFunction> ALL = List.of(
      new GufiFunction("uidtouser", UidToUser.class,
          "uidtouser(uid) - name of user uid; uid as text if it has none",
          args -> scalar(UidToUser.forArgument(firstType(args)), args)),
      new GufiFunction("gidtogroup", GidToGroup.class,
          "gidtogroup(gid) - name of group gid; gid as text if it has none",
          args -> scalar(GidToGroup.forArgument(firstType(args)), args)),
      new GufiFunction("modetotxt", ModeToText.class,
          "modetotxt(mode) - permission string of st_mode, e.g. -rw-r--r--",
          args -> scalar(ModeToText.INSTANCE, args)),
      new GufiFunction("strftime", Strftime.class,
          "strftime(format, t) - epoch seconds t formatted by C strftime in the session time zone",
          args -> scalarWith(Strftime.INSTANCE, args, sessionTimeZone())),
      new GufiFunction("blocksize", BlockSize.class,
          "blocksize(bytes, unit) - blocks of unit needed for bytes, e.g. blocksize(1024, 'KB') = '2KB'",
          args -> {
            checkArity("blocksize", args, 2);
            BlockSize.checkUnit(args.get(1));
            return scalar(BlockSize.INSTANCE, args);
          }),
      new GufiFunction("human_readable_size", HumanReadableSize.class,
          "human_readable_size(bytes) - size with a 1024-based unit, e.g. 1.5K",
          args -> scalar(HumanReadableSize.INSTANCE, args)),
      new GufiFunction("basename", Basename.class,
          "basename(path) - last component of path",
          args -> scalar(Basename.INSTANCE, args)),
      new GufiFunction("ext", Extension.class,
          "ext(name) - what follows the last dot of name, or NULL",
          args -> scalar(Extension.INSTANCE, args)),
      new GufiFunction("rpad", RightPad.class,
          "rpad(value, width) - value padded with spaces to width bytes, never cut;"
              + " rpad(str, len, pad) is Spark's",
          args -> args.size() == 2 ? scalar(RightPad.INSTANCE, args) : builtin("rpad", args)),
      new GufiFunction("intcat", IntCategory.class,
          "intcat(n) - 1000-based magnitude of n: Zero, O, K, M, B, T, q, Q",
          args -> scalar(IntCategory.INSTANCE, args)),
      new GufiFunction("bytecat", ByteCategory.class,
          "bytecat(bytes) - 1024-based magnitude of bytes: Zero, B, K, M, G, T, P, E",
          args -> scalar(ByteCategory.INSTANCE, args)),
      new GufiFunction("agecat", AgeCategory.class,
          "agecat(t) - age of epoch time t: Zero, Secs, Mins, Hrs, Days, Wks, Mos, Yrs, Decs",
          args -> scalarWith(AgeCategory.INSTANCE, args, queryStart())),
      new GufiFunction("epochtoage", EpochToAge.class,
          "epochtoage(t, unit) - whole units (s m h d w M y D) since epoch time t",
          args -> scalarWith(EpochToAge.INSTANCE, args, queryStart())),
      new GufiFunction("hostname", Hostname.class,
          "hostname() - name of the host evaluating the row",
          args -> scalar(Hostname.INSTANCE, args)),
      new GufiFunction("stdevs", StddevSamp.class,
          "stdevs(x) - sample standard deviation; NULL below two values",
          args -> sampleStdev(args)),
      new GufiFunction("stdevp", PopulationStdev.class,
          "stdevp(x) - population standard deviation; NULL below two values",
          args -> aggregate(PopulationStdev.INSTANCE, args)),
      new GufiFunction("fpath", RealPath.class,
          "fpath() - real path of the row's directory (the gufi source's path column resolved)",
          args -> scalarWith(RealPath.INSTANCE, args, UnresolvedAttribute.quoted("path"))),
      new GufiFunction("mode_count", ModeCount.class,
          "mode_count(x) - most frequent value as '<bytes>:<value>:<count>;', NULL on a tie",
          args -> aggregate(ModeCount.INSTANCE, args)));

  /** A call of a V2 scalar function: code-generated, through its {@code invoke}. */
  static Expression scalar(ScalarFunction<?> function, List<Expression> args) {
    checkArity(function.name(), args, function.inputTypes().length);
    return call(function, args, args.size());
  }

  /**
   * A call with one more argument than the query passes: context the function needs and
   * GUFI takes from the process, such as the time or the time zone.
   */
  static Expression scalarWith(ScalarFunction<?> function, List<Expression> args, Expression context) {
    checkArity(function.name(), args, function.inputTypes().length - 1);
    List<Expression> withContext = new ArrayList<>(args);
    withContext.add(context);
    return call(function, withContext, args.size());
  }

  /** The query's start time in epoch seconds: Spark evaluates {@code unix_timestamp()} once per query. */
  private static Expression queryStart() {
    return builtin("unix_timestamp", List.of());
  }

  /** The session time zone as the query is analysed. */
  private static Expression sessionTimeZone() {
    return Literal.create(SQLConf.get().sessionLocalTimeZone(), DataTypes.StringType);
  }

  private static Expression call(ScalarFunction<?> function, List<Expression> args, int shown) {
    Expression implementation = V2ExpressionUtils.resolveScalarFunction(function, seq(args));
    if (!(implementation instanceof StaticInvoke)) {
      // Spark fell back to produceResult: the class lacks a static invoke matching inputTypes().
      throw new IllegalStateException(function.getClass().getName() + " has no public static invoke"
          + " taking its declared input types");
    }
    return new GufiCall(function.name(), shown, implementation);
  }

  /** A call of a V2 aggregate; Spark wraps it into an aggregate expression. */
  static Expression aggregate(AggregateFunction<?, ?> function, List<Expression> args) {
    checkArity(function.name(), args, function.inputTypes().length);
    return named(function.name(), new V2Aggregator<>(function, seq(args), 0, 0));
  }

  /** GUFI's stdevs is Spark's stddev_samp, NULL below two values whatever the legacy setting. */
  private static Expression sampleStdev(List<Expression> args) {
    checkArity("stdevs", args, 1);
    return named("stdevs", new StddevSamp(args.get(0), true));
  }

  /** An aggregate shown under GUFI's name: Spark's prettyName honours the alias tag. */
  private static Expression named(String name, Expression aggregate) {
    aggregate.setTagValue(FunctionRegistry.FUNC_ALIAS(), name);
    return aggregate;
  }

  /** A call of one of Spark's built-in functions. */
  static Expression builtin(String name, List<Expression> args) {
    return (Expression) FunctionRegistry.builtin().lookupFunction(FunctionIdentifier.apply(name), seq(args));
  }

  static void checkArity(String name, List<Expression> args, int expected) {
    if (args.size() != expected) {
      throw new IllegalArgumentException(String.format(
          "%s takes %d argument%s, got %d", name, expected, expected == 1 ? "" : "s", args.size()));
    }
  }

  /** The first argument's type, for functions that pick an implementation by it; the arity check comes after. */
  private static DataType firstType(List<Expression> args) {
    return args.isEmpty() ? DataTypes.NullType : args.get(0).dataType();
  }

  static scala.collection.immutable.Seq<Expression> seq(List<Expression> list) {
    return CollectionConverters.asScala(list).toSeq();
  }
}
