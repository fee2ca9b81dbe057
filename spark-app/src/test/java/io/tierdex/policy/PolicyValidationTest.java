package io.tierdex.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tierdex.testing.SharedSpark;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Every way a policy file can be wrong, and the message that says where and how to fix it. */
class PolicyValidationTest {
  static String rule(String condition) {
    return PlanTest.POOLS + """
        rules:
          - name: r1
            from: fast
            to: slow
            condition: "%s"
        """.formatted(condition);
  }

  static String parseError(String yaml) {
    return assertThrows(PolicyException.class, () -> PolicyParser.parse("p.yaml", yaml))
        .getMessage();
  }

  static String compileError(String yaml) {
    Policies p = PolicyParser.parse("p.yaml", yaml);
    Dataset<Row> entries = PolicyCompiler.entries(SharedSpark.get().createDataFrame(List.of(),
        PlanTest.SNAPSHOT));
    return assertThrows(PolicyException.class,
        () -> PolicyCompiler.compile(p, entries, Instant.ofEpochSecond(1_800_000_000)))
        .getMessage();
  }

  @Test
  void yamlSyntax() {
    assertEquals("p.yaml:3: not valid YAML: mapping values are not allowed here; check the"
        + " indentation and quoting on this line and the one before",
        parseError("pools:\n  - name: fast\n    id: 1: 2\n"));
  }

  @Test
  void unknownKey() {
    assertEquals("p.yaml:11: a rule: unknown key 'weigth'; did you mean 'weight'? (known keys:"
        + " name, from, to, condition, weight, limits, thresholds)",
        parseError(rule("size > 0") + "    weigth: size\n"));
  }

  @Test
  void tooManyRules() {
    StringBuilder yaml = new StringBuilder(PlanTest.POOLS + "rules:\n");
    for (int i = 0; i <= Policies.MAX_RULES; i++) {
      yaml.append("  - {name: r").append(i).append(", from: fast, to: slow, condition: 'uid = ")
          .append(i).append("'}\n");
    }
    assertEquals("p.yaml:7: 4097 rules; at most 4096 are allowed: merge rules that move"
        + " between the same pools with OR", parseError(yaml.toString()));
  }

  @Test
  void unknownPool() {
    assertEquals("p.yaml:9: rule 'r1': unknown pool 'slwo'; did you mean 'slow'? (pools: fast,"
        + " slow)", parseError(rule("size > 0").replace("to: slow", "to: slwo")));
  }

  @Test
  void fromEqualsTo() {
    assertEquals("p.yaml:9: rule 'r1': from and to are both 'fast'; a rule moves files from one"
        + " pool to another", parseError(rule("size > 0").replace("to: slow", "to: fast")));
  }

  @Test
  void badUnitsInALimit() {
    assertEquals("p.yaml:11: rule 'r1': unknown size unit 'G' in '10G' (10GiB for powers of"
        + " 1024, 10GB for powers of 1000); units: B, KiB, MiB, GiB, TiB, PiB (powers of 1024)"
        + " or KB, MB, GB, TB, PB (powers of 1000)",
        parseError(rule("size > 0") + "    limits: {bytes: 10G}\n"));
  }

  @Test
  void badUnitsInACondition() {
    assertEquals("p.yaml:7: rule 'r1': condition: unknown size unit 'Gb' in '5Gb'; units: B,"
        + " KiB, MiB, GiB, TiB, PiB (powers of 1024) or KB, MB, GB, TB, PB (powers of 1000)",
        compileError(rule("size > 5Gb")));
    assertEquals("p.yaml:7: rule 'r1': condition: unknown age unit 'days' in '30days'; units:"
        + " s, m (minutes), h, d, w, y (365 days)", compileError(rule("mtime older than 30days")));
  }

  @Test
  void duplicateRuleNames() {
    assertEquals("p.yaml:11: rule 'r1': the name is already used by another rule; give each"
        + " rule its own name (plans and ledgers refer to rules by name)",
        parseError(rule("size > 0") + "  - name: r1\n    from: fast\n    to: slow\n"
            + "    condition: size > 1\n"));
  }

  @Test
  void unknownColumnWithASuggestion() {
    String m = compileError(rule("sise > 0"));
    assertEquals("p.yaml:7: rule 'r1': condition 'sise > 0': unknown column `sise`; did you"
        + " mean `size`? (columns: ", m.substring(0, m.indexOf("(columns: ") + 10));
  }

  @Test
  void sqlThatDoesNotParse() {
    String m = compileError(rule("size >> AND 1"));
    assertEquals("p.yaml:7: rule 'r1': condition 'size >> AND 1': not valid Spark SQL: ",
        m.substring(0, m.indexOf("Spark SQL: ") + 11));
  }

  @Test
  void aConditionThatIsNotBoolean() {
    assertEquals("p.yaml:7: rule 'r1': condition 'size * 2' is not true or false but bigint;"
        + " compare it with something, as in size >= 1GiB", compileError(rule("size * 2")));
  }

  @Test
  void sideEffectsAndRandomResults() {
    assertEquals("p.yaml:7: rule 'r1': condition 'rand() < 0.5' calls a function with side"
        + " effects or random results (such as rand, uuid, reflect); a condition must give the"
        + " same answer for the same file every time", compileError(rule("rand() < 0.5")));
    String m = compileError(rule(
        "reflect('java.lang.System', 'getProperty', 'user.home') IS NOT NULL"));
    assertEquals(true, m.contains("calls a function with side effects"), m);
  }

  @Test
  void subqueriesAndAggregates() {
    String m = compileError(rule("size > (SELECT max(size) FROM range(3))"));
    assertEquals("p.yaml:7: rule 'r1': condition has a subquery; a condition looks at one file"
        + " at a time: use the file's columns (", m.substring(0, m.indexOf("columns (") + 9));
    assertEquals("p.yaml:7: rule 'r1': condition 'max(size) > 0' uses aggregate or window"
        + " functions, which compare files with each other; a condition looks at one file at a"
        + " time", compileError(rule("max(size) > 0")));
  }

  @Test
  void aWeightThatIsNotANumber() {
    assertEquals("p.yaml:7: rule 'r1': weight 'name' is not a number but string; larger"
        + " weights move first, as with size", compileError(rule("size > 0")
        + "    weight: name\n"));
  }
}
