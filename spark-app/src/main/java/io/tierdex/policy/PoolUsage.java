package io.tierdex.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** How full a pool is now: from the policy file's numbers or from its capacity command. */
public record PoolUsage(long total, long used) {
  private static final long COMMAND_SECONDS = 120;

  /** Per cent of the pool in use. */
  public double percent() {
    return total == 0 ? 0 : 100.0 * used / total;
  }

  /** The usage of {@code pool}, whose capacity the policy file gives. */
  static PoolUsage of(String file, Policies.Pool pool) {
    Policies.Capacity c = pool.capacity().orElseThrow();
    String where = "pool '" + pool.name() + "'";
    if (c.command().isEmpty()) {
      return new PoolUsage(c.total().orElseThrow(), c.used().orElseThrow());
    }
    String command = c.command().get();
    String output;
    try {
      Process p = new ProcessBuilder("/bin/sh", "-c", command)
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      // Waited for before reading: a command that hangs with its output open would block
      // a read forever. Its two numbers fit in the pipe's buffer.
      if (!p.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw PolicyException.at(file, c.line(), where, "capacity command '" + command
            + "' did not finish in " + COMMAND_SECONDS + " s");
      }
      if (p.exitValue() != 0) {
        throw PolicyException.at(file, c.line(), where, "capacity command '" + command
            + "' exited with status " + p.exitValue() + "; run it by hand to see why");
      }
      output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw PolicyException.at(file, c.line(), where, "cannot run capacity command '"
          + command + "': " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw PolicyException.at(file, c.line(), where, "interrupted running '" + command + "'");
    }
    String[] words = output.split("\\s+");
    try {
      long total = Long.parseLong(words[0]);
      long used = Long.parseLong(words[1]);
      if (words.length == 2 && total > 0 && used >= 0) {
        return new PoolUsage(total, used);
      }
    } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
      // reported below
    }
    throw PolicyException.at(file, c.line(), where, "capacity command '" + command + "'"
        + " printed '" + output + "'; it must print two numbers: the pool's total and used"
        + " bytes");
  }
}
