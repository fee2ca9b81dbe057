package io.tierdex.index;

import java.io.PrintStream;
import java.util.function.DoubleFunction;

/**
 * A live progress line on stderr: rewritten in place every second on a terminal, one line
 * every ten seconds in a log (a nightly job's output stays readable). The line is asked for
 * with the seconds since the start; null means nothing to say yet.
 */
public final class ProgressLine implements AutoCloseable {
  private final DoubleFunction<String> line;
  private final PrintStream err;
  private final boolean terminal;
  private final long interval;
  private final long start = System.nanoTime();
  private final Thread thread;
  private volatile boolean running = true;
  private boolean printed;

  public ProgressLine(DoubleFunction<String> line, PrintStream err, boolean terminal) {
    this(line, err, terminal, terminal ? 1000 : 10_000);
  }

  public ProgressLine(DoubleFunction<String> line, PrintStream err, boolean terminal,
      long intervalMs) {
    this.line = line;
    this.err = err;
    this.terminal = terminal;
    this.interval = intervalMs;
    this.thread = new Thread(this::loop, "tierdex-progress");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    while (running) {
      try {
        Thread.sleep(interval);
      } catch (InterruptedException e) {
        return;
      }
      print();
    }
  }

  private synchronized void print() {
    String text = running ? line.apply((System.nanoTime() - start) / 1e9) : null;
    if (text == null) {
      return;
    }
    if (terminal) {
      err.print("\r" + text + "   ");
    } else {
      err.println(text);
    }
    err.flush();
    printed = true;
  }

  @Override
  public synchronized void close() {
    running = false;
    thread.interrupt();
    if (terminal && printed) {
      err.println();
    }
  }
}
