package io.tierdex.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The checkout the tests run in, and what {@code mvn package} built in it: the launchers,
 * the configuration, Spark's class path and JVM flags as the launchers read them.
 */
public final class Checkout {
  private Checkout() {}

  /** The checkout's top directory (surefire runs the tests in {@code spark-app}). */
  public static Path root() {
    Path root = Path.of("").toAbsolutePath().getParent();
    if (root == null || !Files.isRegularFile(root.resolve("submit/tierdex"))) {
      throw new IllegalStateException("run the tests from spark-app in a tierdex checkout,"
          + " not from " + Path.of("").toAbsolutePath());
    }
    return root;
  }

  /** {@code submit/NAME}, a launcher. */
  public static Path launcher(String name) {
    return root().resolve("submit").resolve(name);
  }

  /** Spark's jars from the Maven build, as one class path (what the launchers use). */
  public static String sparkClassPath() throws IOException {
    return Files.readString(built("spark.classpath"), StandardCharsets.UTF_8).strip();
  }

  /** Spark's JVM module flags, as the build wrote them for the launchers. */
  public static List<String> jvmFlags() throws IOException {
    return Arrays.asList(Files.readString(built("jvm.options"), StandardCharsets.UTF_8).strip()
        .split("\\s+"));
  }

  private static Path built(String name) {
    Path p = root().resolve("spark-app/target/launcher").resolve(name);
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException(p + " is not built: these tests need the packaged"
          + " application (mvn -B -DskipTests package, or mvn verify, which runs them after"
          + " packaging)");
    }
    return p;
  }
}
