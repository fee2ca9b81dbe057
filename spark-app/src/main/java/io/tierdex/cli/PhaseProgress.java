package io.tierdex.cli;

import io.tierdex.index.ProgressLine;
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
  private final ProgressLine line;
  private final Map<Long, long[]> counted = new HashMap<>(); // task id -> files, bytes
  private long tasks;
  private long finished;

  PhaseProgress(SparkContext sc, String phase, PrintStream err, boolean terminal,
      long intervalMs) {
    this.sc = sc;
    this.phase = phase;
    sc.addSparkListener(this);
    this.line = new ProgressLine(this::line, err, terminal, intervalMs);
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

  /** The line for the time so far; none before the phase starts Spark work. */
  private synchronized String line(double elapsed) {
    if (tasks == 0) {
      return null;
    }
    long seconds = (long) elapsed;
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
        "%s: %d:%02d, Spark tasks %,d of %,d", phase, seconds / 60, seconds % 60, finished,
        tasks));
    if (!counted.isEmpty()) {
      long files = counted.values().stream().mapToLong(c -> c[0]).sum();
      long bytes = counted.values().stream().mapToLong(c -> c[1]).sum();
      line.append(", ").append(Quantities.count(files)).append(" files settled (")
          .append(Quantities.bytes(bytes)).append(')');
    }
    return line.toString();
  }

  @Override
  public void close() {
    line.close();
    sc.removeSparkListener(this);
  }
}
