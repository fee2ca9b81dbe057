package io.tierdex.cli;

import io.tierdex.migrate.Migration;
import io.tierdex.report.Quantities;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import scala.Tuple4;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The console line of a long phase of a nightly run: its time so far, its Spark tasks
 * finished of those started, and the files and bytes the movers settled (their
 * accumulators named in {@link Migration}, which executors report with each
 * heartbeat while their tasks run). One line every ten seconds in a log, so a nightly job's
 * output stays readable; every second, rewritten in place, on a terminal. Nothing is printed
 * for a phase without Spark tasks (the indexer prints its own) or one done within the first
 * interval.
 */
final class PhaseProgress extends SparkListener implements AutoCloseable {
  private final SparkContext sc;
  private final String phase;
  private final PrintStream err;
  private final boolean terminal;
  private final long interval;
  private final long start = System.nanoTime();
  private final Thread thread;
  private final Map<Long, long[]> counted = new HashMap<>(); // task id -> files, bytes
  private long tasks;
  private long finished;
  private boolean printed;
  private volatile boolean running = true;

  PhaseProgress(SparkContext sc, String phase, PrintStream err, boolean terminal,
      long intervalMs) {
    this.sc = sc;
    this.phase = phase;
    this.err = err;
    this.terminal = terminal;
    this.interval = intervalMs;
    sc.addSparkListener(this);
    thread = new Thread(this::loop, "tierdex-phase-progress");
    thread.setDaemon(true);
    thread.start();
  }

  static PhaseProgress start(SparkContext sc, String phase, PrintStream err) {
    boolean terminal = System.console() != null;
    return new PhaseProgress(sc, phase, err, terminal, terminal ? 1000 : 10_000);
  }

  @Override
  public synchronized void onStageSubmitted(SparkListenerStageSubmitted e) {
    tasks += e.stageInfo().numTasks();
  }

  @Override
  public synchronized void onTaskEnd(SparkListenerTaskEnd e) {
    if (e.taskInfo().successful()) {
      finished++;
    }
    count(e.taskInfo().taskId(), e.taskInfo().accumulables());
  }

  @Override
  public synchronized void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate e) {
    for (Tuple4<Object, Object, Object, scala.collection.immutable.Seq<AccumulableInfo>> u
        : CollectionConverters.asJava(e.accumUpdates())) {
      count((Long) u._1(), u._4());
    }
  }

  /** A task's latest counts replace its earlier ones: accumulator updates are totals. */
  private void count(long task, scala.collection.Seq<AccumulableInfo> infos) {
    for (AccumulableInfo a : CollectionConverters.asJava(infos)) {
      if (a.name().isEmpty() || a.update().isEmpty()) {
        continue;
      }
      String name = a.name().get();
      int i = name.equals(Migration.FILES_SETTLED) ? 0
          : name.equals(Migration.BYTES_SETTLED) ? 1 : -1;
      if (i >= 0 && a.update().get() instanceof Long v) {
        counted.computeIfAbsent(task, t -> new long[2])[i] = v;
      }
    }
  }

  private void loop() {
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
    if (!running || tasks == 0) {
      return;
    }
    long seconds = (System.nanoTime() - start) / 1_000_000_000L;
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
        "%s: %d:%02d, Spark tasks %,d of %,d", phase, seconds / 60, seconds % 60, finished,
        tasks));
    if (!counted.isEmpty()) {
      long files = counted.values().stream().mapToLong(c -> c[0]).sum();
      long bytes = counted.values().stream().mapToLong(c -> c[1]).sum();
      line.append(", ").append(Quantities.count(files)).append(" files settled (")
          .append(Quantities.bytes(bytes)).append(')');
    }
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
    sc.removeSparkListener(this);
    if (terminal && printed) {
      err.println();
    }
  }
}
