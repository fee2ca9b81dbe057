package io.tierdex.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tierdex.snapshot.Manifest;
import io.tierdex.snapshot.StateDir;
import io.tierdex.testing.Checkout;
import io.tierdex.testing.SharedSpark;
import io.tierdex.testing.TierdexCli;
import io.tierdex.testing.TierdexProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Jupyter notebooks executed headless by real Jupyter (Debian's jupyter-nbconvert, which
 * .ci/run installs) on the kernel that {@code submit/tierdex kernel install} installs, against
 * the embedded default's demo: one nightly run that moved files (a ledger), then new cold
 * files and a deferred run (a diff, a plan to ask what-if questions of). Each notebook must
 * run without a cell error in under two minutes; the test reads the executed notebook.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JupyterNotebooksTest {
  static final Duration LIMIT = Duration.ofMinutes(2);
  static final String JUPYTER = "/usr/bin/jupyter";

  @TempDir
  static Path tmp;
  static Path demo;
  static Path kernels;
  static Map<String, Duration> times = new TreeMap<>();

  @BeforeAll
  static void demoWithHistoryAndKernel() throws Exception {
    assertTrue(Files.isExecutable(Path.of(JUPYTER)), JUPYTER + " is missing: install Debian's"
        + " jupyter-nbconvert (.ci/run does)");
    SharedSpark.get(); // the commands below run in the tests' session
    demo = tmp.resolve("tierdex-demo");
    TierdexCli.Run first = TierdexCli.run("run", "--workdir", demo, "--run-date", "2026-11-20");
    assertEquals(0, first.exit(), first.describe());
    // Cold files the first run did not see: the second run's diff adds them, its plan
    // selects them; three are 1 MiB or more, three are not.
    Path added = Files.createDirectories(demo.resolve("sample/added"));
    for (int i = 1; i <= 6; i++) {
      Path f = added.resolve("new-" + i + ".bin");
      Files.write(f, new byte[i * 300 * 1024]);
      Files.setLastModifiedTime(f, FileTime.from(Instant.parse("2024-01-01T00:00:00Z")));
    }
    TierdexCli.Run second = TierdexCli.run("run", "--workdir", demo, "--run-date", "2026-11-21",
        "--mode", "defer");
    assertEquals(0, second.exit(), second.describe());

    Path prefix = tmp.resolve("jupyter-prefix");
    TierdexCli.Run install = TierdexProcess.runCommand(tmp, Map.of("TIERDEX_CDS", "0"),
        Duration.ofMinutes(2), Checkout.launcher("tierdex"), "kernel", "install", "--prefix",
        prefix);
    kernels = prefix.resolve("share/jupyter");
    assertEquals(0, install.exit(), install.describe());
    assertEquals("Installed kernelspec tierdex in " + kernels.resolve("kernels/tierdex"),
        install.out().strip(), install.describe());
  }

  /** What the kernelspec runs: java with Spark's flags on the jar and Spark's jars. */
  @Test
  @Order(0)
  void kernelspecRunsTheJarWithSparksFlags() throws Exception {
    JsonNode spec = new ObjectMapper().readTree(kernels.resolve("kernels/tierdex/kernel.json")
        .toFile());
    List<String> argv = new ArrayList<>();
    spec.get("argv").forEach(a -> argv.add(a.asText()));
    assertTrue(argv.containsAll(Checkout.jvmFlags()), "argv lacks Spark's flags: " + argv);
    String cp = argv.get(argv.indexOf("-cp") + 1);
    assertTrue(cp.startsWith(TierdexSubmitTest.applicationJar() + ":")
        && cp.endsWith(Checkout.sparkClassPath()), cp);
    assertEquals(List.of("io.tierdex.notebook.JShellKernel", "{connection_file}"),
        argv.subList(argv.size() - 2, argv.size()));
    assertEquals("java", spec.get("language").asText());
  }

  /** The totals match a walk of the tree; each section draws its chart. */
  @Test
  @Order(1)
  void exploreMetadata() throws Exception {
    Executed nb = execute("explore-metadata.ipynb");
    long files = 0;
    long bytes = 0;
    long links = 0;
    try (Stream<Path> walk = Files.walk(demo.resolve("sample"))) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class,
            LinkOption.NOFOLLOW_LINKS);
        if (a.isRegularFile()) {
          files++;
          bytes += a.size();
        } else if (a.isSymbolicLink()) {
          links++;
        }
      }
    }
    assertEquals(List.of(String.valueOf(files)), nb.find("^files: (\\d+)$"), nb.text);
    assertEquals(List.of(String.valueOf(bytes)), nb.find("^bytes: (\\d+) "), nb.text);
    assertEquals(List.of(String.valueOf(links)), nb.find("^symlinks: (\\d+)$"), nb.text);
    assertEquals(4, nb.images, "charts: users, sizes, ages, extensions");
  }

  /**
   * The selections the notebook reports, now and with the first rule limited to 1 MiB and
   * up, are what tierdex plan selects with those policies; the state directory is untouched.
   */
  @Test
  @Order(2)
  void policyWhatIfSelectsWhatPlanWouldAndWritesNothing() throws Exception {
    Path state = demo.resolve("state");
    Map<String, String> before = listing(state);
    Executed nb = execute("policy-what-if.ipynb");
    assertEquals(before, listing(state), "the what-if notebook changed the state directory");

    Pattern selected = Pattern.compile("^rule (\\S+) \\(.*selected (\\d+) files \\((\\d+) bytes",
        Pattern.MULTILINE);
    List<String> reported = new ArrayList<>();
    for (Matcher m = selected.matcher(nb.text); m.find(); ) {
      reported.add(m.group(1) + " " + m.group(2) + " " + m.group(3));
    }
    Path policies = demo.resolve("policies.yaml");
    String text = Files.readString(policies);
    Path whatIf = tmp.resolve("policies-what-if.yaml");
    Files.writeString(whatIf, text.replaceFirst("condition: \"([^\"]*)\"",
        "condition: \"($1) AND size >= 1MiB\""));
    assertEquals(List.of(planned(policies), planned(whatIf)), reported, nb.text);
    assertEquals("cold 6 6451200", reported.get(0), "the six new cold files, now");
    assertEquals("cold 3 4608000", reported.get(1), "the three of 1 MiB or more, what-if");
    assertEquals(1, nb.images, "the comparison chart");
  }

  @Test
  @Order(3)
  void runHistoryShowsRunsChangesAndTheLedger() throws Exception {
    Executed nb = execute("run-history.ipynb");
    StateDir state = StateDir.open(demo.resolve("state").toString(),
        SharedSpark.get().sparkContext().hadoopConfiguration());
    List<Manifest> runs = state.committed();
    assertEquals(List.of(String.valueOf(runs.size())), nb.find("^runs: (\\d+)$"), nb.text);
    Manifest plan = runs.stream().filter(m -> m.plan() != null).findFirst().orElseThrow();
    SparkSession spark = SharedSpark.get();
    long moved = spark.read().parquet(state.output(plan.runId(), "ledger").toString())
        .where("outcome = 'MIGRATED'").count();
    assertTrue(moved > 0);
    assertEquals(List.of(plan.run() + " MIGRATED " + moved), nb.find(
        "^ledger (\\S+: MIGRATED \\d+) files").stream().map(s -> s.replace(":", "")).toList(),
        nb.text);
    Manifest diff = runs.stream().filter(m -> m.changes() != null).findFirst().orElseThrow();
    assertEquals(List.of(diff.run() + ": ADDED 6"), nb.find("^changes (\\S+: ADDED \\d+)"),
        nb.text);
    assertEquals(List.of(diff.run() + ": MIGRATED " + moved),
        nb.find("^changes (\\S+: MIGRATED \\d+)"), nb.text);
    assertEquals(3, nb.images, "charts: changes, outcomes, throughput");
  }

  /** A notebook after nbconvert --execute: its stream text and how many images it shows. */
  record Executed(String text, int images) {
    List<String> find(String regex) {
      List<String> out = new ArrayList<>();
      for (Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text); m.find(); ) {
        out.add(m.group(1));
      }
      return out;
    }
  }

  /**
   * Runs the committed notebook as a user would, with jupyter nbconvert --execute and the
   * demo in the environment; fails on any cell error or after two minutes.
   */
  static Executed execute(String name) throws Exception {
    Path out = Files.createDirectories(tmp.resolve("executed"));
    Map<String, String> env = new HashMap<>();
    env.put("JUPYTER_PATH", kernels.toString());
    env.put("JUPYTER_DATA_DIR", tmp.resolve("jupyter-data").toString());
    env.put("JUPYTER_CONFIG_DIR", tmp.resolve("jupyter-config").toString());
    env.put("TIERDEX_INDEX", demo.resolve("index/sample").toString());
    env.put("TIERDEX_STATE", demo.resolve("state").toString());
    env.put("TIERDEX_POLICIES", demo.resolve("policies.yaml").toString());
    long start = System.nanoTime();
    TierdexCli.Run run = TierdexProcess.runCommand(tmp, env, LIMIT.plusSeconds(30), JUPYTER,
        "nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=120",
        "--output-dir", out, Checkout.root().resolve("notebooks").resolve(name));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    times.put(name, took);
    System.out.printf("%s: executed in %.1f s%n", name, took.toMillis() / 1000.0);
    assertEquals(0, run.exit(), run.describe());
    assertTrue(took.compareTo(LIMIT) < 0, name + " took " + took);

    StringBuilder text = new StringBuilder();
    int images = 0;
    for (JsonNode cell : new ObjectMapper().readTree(out.resolve(name).toFile()).get("cells")) {
      for (JsonNode o : cell.path("outputs")) {
        assertTrue(!o.get("output_type").asText().equals("error"), name + ": " + o);
        if (o.get("output_type").asText().equals("stream")
            && o.get("name").asText().equals("stdout")) {
          // nbformat keeps multi-line text as a list of lines
          JsonNode t = o.get("text");
          if (t.isArray()) {
            t.forEach(line -> text.append(line.asText()));
          } else {
            text.append(t.asText());
          }
        }
        if (o.path("data").has("image/png")) {
          images++;
        }
      }
    }
    return new Executed(text.toString(), images);
  }

  /** What tierdex plan selects per rule with {@code policies}, on a copy of the state. */
  static String planned(Path policies) throws Exception {
    Path copy = tmp.resolve("state-copy-" + policies.getFileName());
    copyTree(demo.resolve("state"), copy);
    TierdexCli.Run r = TierdexCli.run("plan", "--policies", policies, "--state", copy);
    assertEquals(0, r.exit(), r.describe());
    List<Manifest> plans = StateDir.open(copy.toString(),
        SharedSpark.get().sparkContext().hadoopConfiguration()).committed().stream()
        .filter(m -> "plan".equals(m.kind())).toList();
    Manifest.RulePlan rule = plans.get(plans.size() - 1).plan().rules().get(0);
    return rule.name() + " " + rule.selected() + " " + rule.selectedBytes();
  }

  /** Every file and directory under {@code root} with its size and modification time. */
  static Map<String, String> listing(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class,
            LinkOption.NOFOLLOW_LINKS);
        out.put(root.relativize(p).toString(), a.size() + " " + a.lastModifiedTime());
      }
    }
    return out;
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Path q = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectories(q);
        } else {
          Files.copy(p, q, LinkOption.NOFOLLOW_LINKS);
        }
      }
    }
  }
}
