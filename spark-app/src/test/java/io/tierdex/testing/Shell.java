package io.tierdex.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

/** Runs the system tools tests use to build fixtures (touch, chown, mkfifo, id...). */
public final class Shell {
  private Shell() {}

  /** Runs {@code cmd}, failing the test unless it exits 0; returns stdout and stderr. */
  public static String run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
    return out;
  }

  public static boolean isRoot() throws Exception {
    return run("id", "-u").strip().equals("0");
  }
}
