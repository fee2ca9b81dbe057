package io.tierdex.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.launcher.JavaModuleOptions;

/**
 * Runs the tierdex command line in a child JVM, started the way submit/tierdex starts it
 * (Spark's module flags, a UTF-8 locale, loopback), so that a test can kill it or run two
 * commands at once. Its stdout and stderr go to a log file.
 */
public final class TierdexChild {
  private TierdexChild() {}

  /** Starts {@code tierdex args...}, appending its output to {@code log}. */
  public static Process start(Path log, Object... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of(JavaModuleOptions.defaultModuleOptionArray()));
    // A short command: C1 alone starts it faster on two shared cores (PLATFORM-NOTES).
    cmd.addAll(List.of("-Xmx1g", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-Dspark.ui.enabled=false",
        "-cp", System.getProperty("java.class.path"), "io.tierdex.cli.Tierdex"));
    for (Object a : args) {
      cmd.add(String.valueOf(a));
    }
    Files.writeString(log, "$ tierdex " + String.join(" ", cmd.subList(cmd.indexOf(
        "io.tierdex.cli.Tierdex") + 1, cmd.size())) + "\n", StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    b.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    b.environment().put("LC_ALL", "C.UTF-8");
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
}
