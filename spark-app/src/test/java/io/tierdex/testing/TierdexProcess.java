package io.tierdex.testing;

import io.tierdex.notebook.KernelSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the tierdex command line in a child JVM, as submit/tierdex does: this JVM's class path,
 * Spark's module flags, a UTF-8 locale, loopback networking. For commands that must start
 * their own Spark session (a {@code local-cluster} master, say) without touching the one the
 * tests share, and for commands a test kills or runs two at a time. {@link #runCommand} runs
 * other programs (the launcher scripts) the same way.
 */
public final class TierdexProcess {
  private TierdexProcess() {}

  /**
   * Runs {@code tierdex args} in {@code dir} (its working directory, which also gets the
   * output files) with {@code sparkConf} as {@code -D} system properties, which a new
   * SparkSession reads as its configuration; kills it after {@code timeout}.
   */
  public static TierdexCli.Run run(Path dir, Map<String, String> sparkConf, Duration timeout,
      Object... args) throws IOException, InterruptedException {
    List<String> argv = TierdexCli.strings(args);
    return run(dir, command(sparkConf, argv), Map.of(), timeout, TierdexCli.typed(argv));
  }

  /**
   * Runs {@code command} (a launcher script and its arguments, say) in {@code dir} as a user
   * runs it: in the environment tierdex's child JVMs get here, plus {@code env} (a null value
   * removes the variable); kills it and its children after {@code timeout}.
   */
  public static TierdexCli.Run runCommand(Path dir, Map<String, String> env, Duration timeout,
      Object... command) throws IOException, InterruptedException {
    List<String> cmd = TierdexCli.strings(command);
    return run(dir, cmd, env, timeout, cmd);
  }

  private static TierdexCli.Run run(Path dir, List<String> cmd, Map<String, String> env,
      Duration timeout, List<String> shown) throws IOException, InterruptedException {
    Path out = dir.resolve("tierdex-stdout.txt");
    Path err = dir.resolve("tierdex-stderr.txt");
    ProcessBuilder b = new ProcessBuilder(cmd).directory(dir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    environment(b);
    env.forEach((k, v) -> {
      if (v == null) {
        b.environment().remove(k);
      } else {
        b.environment().put(k, v);
      }
    });
    Process p = b.start();
    int exit;
    if (p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      exit = p.exitValue();
    } else {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      exit = -1;
      Files.writeString(err, "\n(killed after " + timeout + ")\n", StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.APPEND);
    }
    return new TierdexCli.Run(shown, exit, Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  /**
   * Starts {@code tierdex args} without waiting, its stdout and stderr appended to
   * {@code log}: for a test that kills it, or runs a second command beside it.
   */
  public static Process start(Path log, Object... args) throws IOException {
    List<String> argv = TierdexCli.strings(args);
    Files.writeString(log, "$ tierdex " + String.join(" ", argv) + "\n",
        StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    ProcessBuilder b = new ProcessBuilder(command(Map.of("spark.ui.enabled", "false"), argv))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    environment(b);
    return b.start();
  }

  /** The last {@code lines} lines of a log, for assertion messages. */
  public static String tail(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  private static List<String> command(Map<String, String> sparkConf, List<String> argv) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(KernelSpec.moduleFlags());
    // A short-lived test JVM: C1 only and one GC thread leave the cores to the executors.
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-Xmx1g");
    sparkConf.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.add("-cp");
    cmd.add(classPath());
    cmd.add("io.tierdex.cli.Tierdex");
    cmd.addAll(argv);
    return cmd;
  }

  /** The environment of every child process: a UTF-8 locale, loopback, no Spark install. */
  static void environment(ProcessBuilder b) {
    Map<String, String> env = b.environment();
    env.put("LC_ALL", "C.UTF-8");
    // Spark names this machine by these: loopback, so executor host names are predictable.
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("SPARK_LOCAL_HOSTNAME", "127.0.0.1");
    env.remove("SPARK_HOME");
    env.remove("SPARK_CONF_DIR");
  }

  /**
   * The class path of the tests: tierdex, its dependencies and Spark. Surefire may start
   * this JVM from a manifest-only jar; it then keeps the real path in a property.
   */
  public static String classPath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
  }
}
