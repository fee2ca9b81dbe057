package io.tierdex.notebook;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * What a notebook works on, from the environment: the index ({@code TIERDEX_INDEX}), the
 * state directory ({@code TIERDEX_STATE}), the policy file ({@code TIERDEX_POLICIES}) and
 * the Spark master ({@code TIERDEX_SPARK_MASTER}). Without them, the demo that {@code
 * submit/tierdex run} makes in {@code ./tierdex-demo}, looked for in the notebook's directory
 * and the one above it (a checkout's top, when the notebook runs from {@code notebooks/}).
 */
public final class Workspace {
  private Workspace() {}

  /** The index root (a directory with a {@code db.db}). */
  public static Path index() {
    return find("TIERDEX_INDEX", "tierdex-demo/index/sample", "an index root (the directory"
        + " tierdex index SRC PARENT writes as PARENT/<name of SRC>)", true);
  }

  /** The state directory (its {@code runs/}). */
  public static Path state() {
    return find("TIERDEX_STATE", "tierdex-demo/state", "a tierdex state directory", true);
  }

  /** The policy file. */
  public static Path policies() {
    return find("TIERDEX_POLICIES", "tierdex-demo/policies.yaml", "a policy file", false);
  }

  /**
   * The notebook's Spark session: {@code TIERDEX_SPARK_MASTER} (default {@code local[2]}),
   * no UI, few shuffle partitions (the aggregates notebooks draw are small).
   */
  public static SparkSession spark(String app) {
    String master = System.getenv().getOrDefault("TIERDEX_SPARK_MASTER", "local[2]");
    return SparkSession.builder().master(master).appName(app)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4")
        // The index's tables are wide; plans of their scans would be logged as truncated.
        .config("spark.sql.debug.maxToStringFields", "100")
        .getOrCreate();
  }

  private static Path find(String variable, String demo, String what, boolean directory) {
    return find(System.getenv(variable), Path.of("").toAbsolutePath(), variable, demo, what,
        directory);
  }

  /** {@code given} (the variable's value) or the demo's path, from {@code here} or above. */
  static Path find(String given, Path here, String variable, String demo, String what,
      boolean directory) {
    List<Path> tried = new ArrayList<>();
    if (given != null && !given.isBlank()) {
      tried.add(here.resolve(given).normalize());
    } else {
      tried.add(here.resolve(demo).normalize());
      if (here.getParent() != null) {
        tried.add(here.getParent().resolve(demo).normalize());
      }
    }
    for (Path p : tried) {
      if (directory ? Files.isDirectory(p) : Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new IllegalArgumentException("cannot find " + what + " at " + (given != null
        && !given.isBlank() ? tried.get(0) + " (" + variable + ")" : tried.stream()
        .map(Path::toString).reduce((a, b) -> a + " or " + b).orElseThrow()) + ": set "
        + variable + " to " + what + ", or run submit/tierdex run in the checkout to make"
        + " the demo in ./tierdex-demo");
  }
}
