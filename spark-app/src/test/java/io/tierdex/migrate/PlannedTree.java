package io.tierdex.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierdex.testing.TierdexCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The steps before a migration, as a user runs them: index a tree called {@code tree},
 * snapshot it, and plan it with one rule moving every file of 4 KiB or more from fast to
 * slow.
 */
public final class PlannedTree {
  private PlannedTree() {}

  /** Writes {@code base/policies.yaml} and plans {@code src} into {@code bins} bins. */
  public static String plan(Path base, Path src, Path state, int bins) throws IOException {
    ok("index", src, base.resolve("index"));
    ok("snapshot", base.resolve("index").resolve("tree"), "--source", src, "--state", state);
    return runId(ok("plan", "--policies", policies(base), "--state", state, "--bins", bins),
        "plan");
  }

  public static Path policies(Path dir) throws IOException {
    Path p = dir.resolve("policies.yaml");
    Files.writeString(p, String.join("\n",
        "min_age: 0s",
        "pools:",
        "  - {name: fast, id: 1}",
        "  - {name: slow, id: 2}",
        "rules:",
        "  - name: big",
        "    from: fast",
        "    to: slow",
        "    condition: \"size >= 4KiB\"",
        ""));
    return p;
  }

  /** The run id the command printed after {@code word}, as in {@code plan <id>}. */
  public static String runId(TierdexCli.Run run, String word) {
    Matcher m = Pattern.compile(word + " (\\d{8}T\\d{9}Z-[0-9a-f]+)").matcher(run.out());
    assertTrue(m.find(), "no run id after '" + word + "' in:\n" + run.describe());
    return m.group(1);
  }

  /** Runs a tierdex command line in this JVM; it must exit 0. */
  public static TierdexCli.Run ok(Object... args) {
    TierdexCli.Run run = TierdexCli.run(args);
    assertEquals(0, run.exit(), run.describe());
    return run;
  }
}
