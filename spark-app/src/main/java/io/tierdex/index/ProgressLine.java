package io.tierdex.index;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The live progress line on stderr: rewritten in place every second on a terminal, one
 * line every ten seconds in a log (a nightly job's output stays readable).
 */
final class ProgressLine implements AutoCloseable {
  private final IndexStats stats;
  private final PrintStream err;
  private final boolean terminal;
  private final long start = System.nanoTime();
  private final Thread thread;
  private volatile boolean running = true;
  private boolean printed;

  ProgressLine(IndexStats stats, PrintStream err, boolean terminal) {
    this.stats = stats;
    this.err = err;
    this.terminal = terminal;
    this.thread = new Thread(this::loop, "tierdex-progress");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    long interval = terminal ? 1000 : 10_000;
    while (running) {
      try {
        Thread.sleep(interval);
      } catch (InterruptedException e) {
        return;
      }
      if (running) {
        print();
      }
    }
  }

  private synchronized void print() {
    double s = (System.nanoTime() - start) / 1e9;
    long dirs = stats.dirs.sum();
    long entries = stats.nondirs.sum();
    String line = String.format(Locale.ROOT,
        "indexing: %,d dirs, %,d entries in %.0fs (%,.0f dirs/s, %,.0f entries/s)",
        dirs, entries, s, dirs / s, entries / s);
    if (terminal) {
      err.print("\r" + line + "   ");
    } else {
      err.println(line);
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
