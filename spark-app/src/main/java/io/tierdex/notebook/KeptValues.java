package io.tierdex.notebook;

import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * JShell's execution engine for the kernel: snippets run in the kernel's own JVM, on the
 * thread that evaluates the cell, so they share the JVM's Spark (a remote engine would be a
 * second JVM with its own Spark). JShell hands the client only a value's text; this engine
 * keeps each value and returns a key instead, so the kernel can render the object itself (a
 * chart as image/png).
 */
final class KeptValues extends DirectExecutionControl implements ExecutionControlProvider {
  private final Map<String, Object> values = new HashMap<>();
  private long next;

  /** The value a snippet returned under {@code key}, or null. */
  Object take(String key) {
    return values.remove(key);
  }

  /** Forgets the values of earlier cells (they may hold big objects). */
  void clear() {
    values.clear();
  }

  @Override
  protected String invoke(Method doit) throws Exception {
    Object value = doit.invoke(null);
    String key = "tierdex-value-" + next++;
    values.put(key, value);
    return key;
  }

  @Override
  public String name() {
    return "tierdex-local";
  }

  @Override
  public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
    return this;
  }
}
