package io.tierdex.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierdex.testing.Checkout;
import io.tierdex.testing.TierdexCli;
import io.tierdex.testing.TierdexProcess;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * submit/tierdex-submit up to the moment it starts spark-submit: how it splits its arguments,
 * what it hands a Spark distribution's spark-submit, and what it says when something is
 * missing; and conf/spark-defaults.conf, which it passes along. (StandaloneClusterTest runs it
 * for real.)
 */
class TierdexSubmitTest {
  static final Duration SCRIPT = Duration.ofSeconds(30);

  @TempDir
  Path tmp;

  @Test
  void optionsBeforeTheCommandNeedTheSeparator() throws Exception {
    TierdexCli.Run run = submit(Map.of(), "--master", "spark://head01:7077", "migrate",
        "--plan", "RUN");
    assertEquals(2, run.exit(), run.describe());
    assertTrue(run.err().contains("must be followed by -- and the tierdex command"),
        run.describe());
  }

  /** A distribution's spark-submit gets the defaults file, the options, then tierdex. */
  @Test
  void handsItsArgumentsToTheDistributionsSparkSubmit() throws Exception {
    Path home = tmp.resolve("spark");
    Path args = tmp.resolve("spark-submit.args");
    Path bin = Files.createDirectories(home.resolve("bin")).resolve("spark-submit");
    Files.writeString(bin, "#!/bin/bash\nprintf '%s\\n' \"$@\" > '" + args + "'\n");
    Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));

    TierdexCli.Run run = submit(Map.of("SPARK_HOME", home.toString()),
        "--master", "spark://head01:7077", "--conf", "spark.executor.memory=4g", "--",
        "migrate", "--plan", "RUN", "--state", "/srv/tierdex state");
    assertEquals(0, run.exit(), run.describe());
    assertEquals(List.of("--properties-file",
        Checkout.root().resolve("conf/spark-defaults.conf").toString(), "--load-spark-defaults",
        "--master", "spark://head01:7077", "--conf", "spark.executor.memory=4g",
        "--class", "io.tierdex.cli.Tierdex", applicationJar().toString(),
        "migrate", "--plan", "RUN", "--state", "/srv/tierdex state"), Files.readAllLines(args));
  }

  /** Without a distribution the driver is the script's JVM: driver options cannot apply. */
  @Test
  void refusesDriverOptionsItCannotApply() throws Exception {
    TierdexCli.Run run = submit(Map.of("PATH", "/usr/bin:/bin"),
        "--driver-memory", "4g", "--", "runs");
    assertEquals(2, run.exit(), run.describe());
    assertTrue(run.err().contains("--driver-memory needs a Spark distribution")
        && run.err().contains("TIERDEX_JAVA_OPTS"), run.describe());
  }

  @Test
  void saysHowToBuildWhenTheJarIsMissing() throws Exception {
    Path checkout = tmp.resolve("checkout");
    Path script = Files.createDirectories(checkout.resolve("submit")).resolve("tierdex-submit");
    Files.copy(Checkout.launcher("tierdex-submit"), script);
    Files.createDirectories(checkout.resolve("conf"));
    Files.copy(Checkout.root().resolve("conf/spark-defaults.conf"),
        checkout.resolve("conf/spark-defaults.conf"));

    TierdexCli.Run run = TierdexProcess.runCommand(tmp, Map.of(), SCRIPT, script, "runs");
    assertEquals(1, run.exit(), run.describe());
    assertTrue(run.err().contains("the application jar is not built (no "
        + checkout.resolve("spark-app/target") + "/tierdex-*.jar)")
        && run.err().contains("mvn -B -DskipTests package"), run.describe());
  }

  /** Read as Spark reads it (java.util.Properties): both JVMs get the build's flags. */
  @Test
  void sparkDefaultsGiveDriverAndExecutorsTheBuildsJvmFlags() throws Exception {
    Properties conf = new Properties();
    try (Reader r = Files.newBufferedReader(Checkout.root().resolve("conf/spark-defaults.conf"))) {
      conf.load(r);
    }
    Set<String> required = new TreeSet<>(Checkout.jvmFlags());
    required.addAll(List.of("-XX:-DontCompileHugeMethods", "-Dfile.encoding=UTF-8",
        "-Dsun.jnu.encoding=UTF-8"));
    for (String key : List.of("spark.driver.extraJavaOptions",
        "spark.executor.extraJavaOptions")) {
      Set<String> missing = new TreeSet<>(required);
      missing.removeAll(Arrays.asList(conf.getProperty(key, "").trim().split("\\s+")));
      assertEquals(Set.of(), missing, key + " lacks flags");
    }
    assertEquals("false", conf.getProperty("spark.speculation"));
    assertEquals("C.UTF-8", conf.getProperty("spark.executorEnv.LC_ALL"));
  }

  TierdexCli.Run submit(Map<String, String> env, String... args) throws Exception {
    List<Object> cmd = new ArrayList<>();
    cmd.add(Checkout.launcher("tierdex-submit"));
    cmd.addAll(List.of(args));
    return TierdexProcess.runCommand(tmp, env, SCRIPT, cmd.toArray());
  }

  static Path applicationJar() throws Exception {
    try (var jars = Files.list(Checkout.root().resolve("spark-app/target"))) {
      List<Path> found = jars.filter(p -> p.getFileName().toString().matches("tierdex-.*\\.jar"))
          .toList();
      assertEquals(1, found.size(), "one application jar: " + found);
      return found.get(0);
    }
  }
}
