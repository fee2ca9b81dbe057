package io.tierdex.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tierdex.migrate.PlannedTree;
import io.tierdex.testing.Checkout;
import io.tierdex.testing.TierdexCli;
import io.tierdex.testing.TierdexProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Airflow DAG submit/airflow/tierdex_nightly.py, without Airflow (not installable here):
 * its source is checked against the nightly conventions, then the file runs against stand-in
 * {@code airflow} packages of Airflow 2 and of Airflow 3, whose DAG and BashOperator take only
 * the real constructors' arguments, and its task is rendered for a run date as Airflow renders
 * it before running it. The Python side is in src/test/resources/airflow; it runs on Debian's
 * python3, which has python3-pendulum (.ci/run installs it).
 */
class NightlyDagTest {
  static final String RUN_DATE = "2026-11-22";
  static final Duration PYTHON = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  @Test
  void sourceFollowsTheNightlyConventions() throws Exception {
    TierdexCli.Run run = python(Map.of(), "dag_conventions.py", dag());
    System.out.print(run.out());
    assertEquals(0, run.exit(), run.describe());
  }

  /** The convention check is only worth something if it catches each broken convention. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "catchup=False                | catchup=True                        | FAIL: catchup=False",
      "schedule=\"0 2 * * *\"       | schedule_interval=\"0 2 * * *\"     | FAIL: schedule=",
      "schedule=\"0 2 * * *\"       | schedule=\"*/5 * * * *\"            | FAIL: schedule=",
      "pendulum.datetime(2026, 1, 1, tz=\"UTC\") | pendulum.now(\"UTC\") | FAIL: a static start_date",
      "max_active_runs=1            | max_active_runs=3                   | FAIL: max_active_runs=1",
      "retry_exponential_backoff=True | retry_exponential_backoff=False   | FAIL: retry_exponential",
      "pool=\"tierdex\"             | pool=\"default_pool\"               | FAIL: pool=",
      "--run-date {{ ds }}          | --run-date {{ ts }}                 | FAIL: bash_command",
  })
  void conventionsCatchADagThatBreaksOne(String from, String to, String says) throws Exception {
    TierdexCli.Run run = python(Map.of(), "dag_conventions.py", variant(from, to));
    assertEquals(1, run.exit(), run.describe());
    assertTrue(run.out().lines().anyMatch(l -> l.startsWith(says)), says + "\n" + run.describe());
  }

  @ParameterizedTest
  @CsvSource({
      "airflow2, airflow.DAG,     airflow.operators.bash.BashOperator",
      "airflow3, airflow.sdk.DAG, airflow.providers.standard.operators.bash.BashOperator",
  })
  void parsesOnAirflow(String airflow, String dagClass, String operatorClass) throws Exception {
    JsonNode dag = render(airflow, dag(), Map.of(), Map.of());
    assertEquals(dagClass, dag.path("dag_class").asText());
    assertEquals(operatorClass, dag.path("operator_class").asText());
    assertEquals("0 2 * * *", dag.path("dag").path("schedule").asText());
    assertEquals("2026-01-01T00:00:00+00:00", dag.path("dag").path("start_date").asText());
    assertEquals(false, dag.path("dag").path("catchup").asBoolean(true));
    assertEquals(1, dag.path("dag").path("max_active_runs").asInt());
    JsonNode task = dag.path("task");
    assertEquals("tierdex", task.path("pool").asText());
    assertEquals(2, task.path("retries").asInt());
    assertEquals(true, task.path("retry_exponential_backoff").asBoolean(false));
    assertEquals(900.0, task.path("retry_delay").asDouble());
    assertTrue(dag.path("bash_command").asText().endsWith(" --run-date " + RUN_DATE),
        dag.toPrettyString());
  }

  /** The stand-ins are only worth something if they refuse what Airflow refuses. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "airflow3 | schedule=           | schedule_interval=           | schedule_interval",
      "airflow2 | append_env=True     | append_environment=True      | append_environment",
      "airflow2 | retry_exponential_backoff=True | retry_exponential_backoff=2.0 | must be",
      "airflow3 | retries=2           | retries=\"2\"                | retries must be",
  })
  void standInsRefuseWhatAirflowRefuses(String airflow, String from, String to, String says)
      throws Exception {
    TierdexCli.Run run = python(standIn(airflow), "render_dag.py", variant(from, to), RUN_DATE);
    assertEquals(1, run.exit(), run.describe());
    assertTrue(run.err().contains("TypeError") && run.err().contains(says), run.describe());
  }

  /** Without Variables: the defaults, under the worker's TIERDEX_HOME. */
  @Test
  void renderedCommandDefaultsToTheCheckoutInTierdexHome() throws Exception {
    Path home = Path.of("/opt/tierdex-test");
    JsonNode dag = render("airflow3", dag(), Map.of(), Map.of("TIERDEX_HOME", home.toString()));
    assertEquals(List.of(home.resolve("submit/tierdex-submit").toString(),
        "--", "run", "--config", home.resolve("conf/tierdex.yaml").toString(),
        "--mode", "yes", "--run-date", RUN_DATE), words(dag));
  }

  /** With Variables: the command line tierdex-submit gets, word for word. */
  @Test
  void renderedCommandRunsTierdexSubmitWithTheVariables() throws Exception {
    String submit = Checkout.launcher("tierdex-submit").toString();
    Map<String, String> variables = new LinkedHashMap<>();
    variables.put("tierdex_submit", submit);
    variables.put("tierdex_config", "/etc/tierdex/site one.yaml");
    variables.put("tierdex_spark_options", "--master spark://head01:7077 --executor-memory 4g");
    JsonNode dag = render("airflow2", dag(), variables, Map.of());
    List<String> words = words(dag);
    assertEquals(List.of(submit, "--master", "spark://head01:7077", "--executor-memory", "4g",
        "--", "run", "--config", "/etc/tierdex/site one.yaml", "--mode", "yes",
        "--run-date", RUN_DATE), words);
    assertTrue(Files.isExecutable(Path.of(words.get(0))), words.get(0));
  }

  /**
   * The nightly run for real: the DAG's command, rendered, run by bash as BashOperator runs
   * it, on a small tree: index, snapshot, plan, migrate, report.
   */
  @Test
  void renderedCommandRunsANightlyRun() throws Exception {
    Path tree = Files.createDirectories(tmp.resolve("tree/projects"));
    for (int i = 0; i < 4; i++) {
      Files.write(tree.resolve("f" + i + ".dat"), new byte[(i + 1) * 8192]);
    }
    Path config = tmp.resolve("tierdex.yaml");
    Files.writeString(config, String.join("\n",
        "source:",
        "  root: " + tree.getParent(),
        "  index: " + tmp.resolve("index"),
        "state: " + tmp.resolve("state"),
        "policies: " + PlannedTree.policies(tmp),
        ""));
    Map<String, String> variables = Map.of(
        "tierdex_submit", Checkout.launcher("tierdex-submit").toString(),
        "tierdex_config", config.toString(),
        "tierdex_spark_options", "--master local[2] --conf spark.ui.enabled=false");
    JsonNode dag = render("airflow3", dag(), variables, Map.of());

    TierdexCli.Run run = TierdexProcess.runCommand(tmp, env(dag), Duration.ofMinutes(5),
        "bash", "-c", dag.path("bash_command").asText());
    assertEquals(0, run.exit(), run.describe());
    String last = run.out().strip().substring(run.out().strip().lastIndexOf('\n') + 1);
    assertTrue(last.contains(" (yes): moved 4 files ("), "the summary line\n" + run.describe());
    Matcher report = Pattern.compile("; report: (?:file:)?(/\\S+)$").matcher(last);
    assertTrue(report.find(), "no report path printed\n" + run.describe());
    assertTrue(Files.exists(Path.of(report.group(1))), report.group(1) + "\n" + run.describe());
  }

  /** The DAG file in the checkout. */
  static Path dag() {
    return Checkout.root().resolve("submit/airflow/tierdex_nightly.py");
  }

  /** A copy of the DAG file with one edit, which must apply. */
  Path variant(String from, String to) throws Exception {
    String source = Files.readString(dag());
    assertTrue(source.contains(from), "the DAG no longer says " + from);
    Path copy = tmp.resolve("variant_" + Math.abs((from + to).hashCode()) + ".py");
    Files.writeString(copy, source.replace(from, to));
    return copy;
  }

  /** The DAG parsed against the {@code airflow} stand-in and rendered for {@link #RUN_DATE}. */
  JsonNode render(String airflow, Path dagFile, Map<String, String> variables,
      Map<String, String> workerEnv) throws Exception {
    Map<String, String> env = standIn(airflow);
    env.putAll(workerEnv);
    List<Object> args = new ArrayList<>(List.of(dagFile, RUN_DATE));
    variables.forEach((k, v) -> args.add(k + "=" + v));
    TierdexCli.Run run = python(env, "render_dag.py", args.toArray());
    assertEquals(0, run.exit(), run.describe());
    return JSON.readTree(run.out());
  }

  /**
   * The words bash makes of the rendered command, in the rendered environment (appended to
   * the worker's, as append_env=True does): what tierdex-submit receives as its arguments.
   */
  List<String> words(JsonNode dag) throws Exception {
    TierdexCli.Run run = TierdexProcess.runCommand(tmp, env(dag), PYTHON, "bash", "-c",
        "printf '%s\\0' " + dag.path("bash_command").asText());
    assertEquals(0, run.exit(), run.describe());
    return Arrays.asList(run.out().split("\0"));
  }

  static Map<String, String> env(JsonNode dag) {
    Map<String, String> env = new LinkedHashMap<>();
    dag.path("env").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
    return env;
  }

  /**
   * The environment of a parse against the {@code airflow} stand-in: the stand-in package and
   * the module its parts share on PYTHONPATH, and none of the DAG's settings (whatever the
   * environment of the build says), so that the DAG's defaults apply.
   */
  static Map<String, String> standIn(String airflow) throws Exception {
    Path resources = resources();
    Map<String, String> env = new HashMap<>();
    env.put("PYTHONPATH", resources.resolve("standins").resolve(airflow) + ":" + resources);
    for (String setting : List.of("TIERDEX_HOME", "TIERDEX_SUBMIT", "TIERDEX_CONFIG",
        "TIERDEX_MODE", "TIERDEX_SPARK_OPTIONS")) {
      env.put(setting, null);
    }
    return env;
  }

  TierdexCli.Run python(Map<String, String> env, String script, Object... args)
      throws Exception {
    List<Object> cmd = new ArrayList<>();
    // Debian's interpreter: python3-pendulum is installed for it, not for others on PATH.
    cmd.add(Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3");
    cmd.add(resources().resolve(script));
    cmd.addAll(Arrays.asList(args));
    return TierdexProcess.runCommand(tmp, env, PYTHON, cmd.toArray());
  }

  static Path resources() throws Exception {
    return Path.of(NightlyDagTest.class.getResource("/airflow/render_dag.py").toURI())
        .getParent();
  }
}
