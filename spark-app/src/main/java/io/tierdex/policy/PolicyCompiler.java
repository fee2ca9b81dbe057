package io.tierdex.policy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.SubqueryExpression;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.Project;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.NumericType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Checks every condition and weight of a policy file against the snapshot's columns and
 * turns them into the Spark SQL of {@link CompiledPolicies}. A condition must be a boolean
 * expression over one file's columns: no subqueries, aggregates, window functions or
 * functions with side effects or random results.
 */
public final class PolicyCompiler {
  private static final Pattern SELECT = Pattern.compile("(?i)\\bselect\\b");

  private PolicyCompiler() {}

  /** A snapshot's rows with the columns conditions may use besides: owner and group names. */
  public static Dataset<Row> entries(Dataset<Row> snapshot) {
    return snapshot.withColumn("owner", functions.expr("uidtouser(uid)"))
        .withColumn("group_name", functions.expr("gidtogroup(gid)"));
  }

  /** {@code p} checked against {@code entries} ({@link #entries}), times relative to {@code now}. */
  public static CompiledPolicies compile(Policies p, Dataset<Row> entries, Instant now) {
    Conditions conditions = new Conditions(now);
    List<String> columns = Arrays.asList(entries.columns());
    Optional<String> pool = p.poolColumn();
    if (pool.isPresent() && !columns.contains(pool.get())) {
      String near = Suggestions.nearest(pool.get(), columns);
      throw PolicyException.at(p.file(), 1, null, "pool_column '" + pool.get() + "' is not a"
          + " snapshot column" + (near == null ? "" : "; did you mean '" + near + "'?")
          + " (columns: " + String.join(", ", columns) + ")");
    }
    List<String> excludes = new ArrayList<>();
    for (Policies.Exclude x : p.excludes()) {
      excludes.add(expression(p.file(), x.line(), "exclude rule '" + x.name() + "'",
          "condition", x.condition(), conditions, entries, true));
    }
    List<String> rules = new ArrayList<>();
    List<String> weights = new ArrayList<>();
    for (Policies.Rule r : p.rules()) {
      String where = "rule '" + r.name() + "'";
      rules.add(expression(p.file(), r.line(), where, "condition", r.condition(), conditions,
          entries, true));
      weights.add(expression(p.file(), r.line(), where, "weight", r.weight(), conditions,
          entries, false));
    }
    return new CompiledPolicies(p, now, excludes, rules, weights);
  }

  private static String expression(String file, int line, String where, String what,
      String text, Conditions conditions, Dataset<Row> entries, boolean condition) {
    String[] problem = new String[1];
    String sql = conditions.toSql(text, problem).orElseThrow(() ->
        PolicyException.at(file, line, where, what + ": " + problem[0]));
    if (SELECT.matcher(sql.replaceAll("'(?:[^']|'')*'", "''")).find()) {
      throw PolicyException.at(file, line, where, what + " has a subquery; a " + what
          + " looks at one file at a time: use the file's columns ("
          + String.join(", ", entries.columns()) + ")");
    }
    LogicalPlan plan;
    try {
      plan = entries.select(functions.expr(sql)).queryExecution().analyzed();
    } catch (Exception e) { // Scala code throws AnalysisException undeclared
      if (!(e instanceof AnalysisException a)) {
        throw e;
      }
      throw PolicyException.at(file, line, where, what + " '" + text + "': " + reason(a,
          entries));
    }
    if (!(plan instanceof Project project)) {
      throw PolicyException.at(file, line, where, what + " '" + text + "' uses aggregate or"
          + " window functions, which compare files with each other; a " + what + " looks at"
          + " one file at a time");
    }
    Expression e = (Expression) CollectionConverters.asJava(project.projectList()).get(0);
    if (contains(e, SubqueryExpression.class)) {
      throw PolicyException.at(file, line, where, what + " '" + text + "' has a subquery; a "
          + what + " looks at one file at a time");
    }
    if (!e.deterministic()) {
      throw PolicyException.at(file, line, where, what + " '" + text + "' calls a function"
          + " with side effects or random results (such as rand, uuid, reflect); a " + what
          + " must give the same answer for the same file every time");
    }
    if (condition && !(e.dataType() instanceof BooleanType)) {
      throw PolicyException.at(file, line, where, what + " '" + text + "' is not true or"
          + " false but " + e.dataType().simpleString() + "; compare it with something, as in"
          + " size >= 1GiB");
    }
    if (!condition && !(e.dataType() instanceof NumericType)) {
      throw PolicyException.at(file, line, where, what + " '" + text + "' is not a number but "
          + e.dataType().simpleString() + "; larger weights move first, as with size");
    }
    return sql;
  }

  private static boolean contains(Expression e, Class<?> kind) {
    if (kind.isInstance(e)) {
      return true;
    }
    for (Expression c : CollectionConverters.asJava(e.children())) {
      if (contains(c, kind)) {
        return true;
      }
    }
    return false;
  }

  /** Spark's complaint, in a policy writer's words where we know them. */
  private static String reason(AnalysisException e, Dataset<Row> entries) {
    String condition = e.getCondition() == null ? "" : e.getCondition();
    Map<String, String> params = e.getMessageParameters();
    if (condition.startsWith("UNRESOLVED_COLUMN")) {
      String name = params.getOrDefault("objectName", "?");
      String near = Suggestions.nearest(name.replace("`", ""),
          Arrays.asList(entries.columns()));
      return "unknown column " + name + (near == null ? "" : "; did you mean `" + near + "`?")
          + " (columns: " + String.join(", ", entries.columns()) + ")";
    }
    if (condition.startsWith("UNRESOLVED_ROUTINE")) {
      return "unknown function " + params.getOrDefault("routineName", "?") + "; Spark SQL's"
          + " functions and GUFI's (uidtouser, strftime, ...) are available";
    }
    if (condition.startsWith("PARSE_SYNTAX_ERROR") || e.getClass().getSimpleName()
        .equals("ParseException")) {
      return "not valid Spark SQL: " + firstLine(e.getMessage());
    }
    return firstLine(e.getMessage());
  }

  private static String firstLine(String s) {
    int nl = s == null ? -1 : s.indexOf('\n');
    return s == null ? "" : nl < 0 ? s : s.substring(0, nl);
  }
}
