package io.tierdex.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;

/**
 * The process CPU time of a {@code tierdex migrate} process's move stage, for
 * {@code tierdex bench migrate}: the benchmark starts the command with
 * {@code -Dspark.extraListeners=io.tierdex.bench.MoveStageCpu -Dtierdex.bench.moveStageCpu=FILE}
 * and reads FILE afterwards. The move stage is the first job of the job group
 * {@code Migration.run} sets (the ledger's jobs that follow carry the group too); with a
 * local master the mover threads run in this process, so its CPU time is theirs plus the
 * driver's. Sampled when the listener bus delivers the job's start and end: a few
 * milliseconds late at most.
 */
public final class MoveStageCpu extends SparkListener {
  /** The system property naming the file that receives "CPU-seconds wall-seconds". */
  public static final String FILE = "tierdex.bench.moveStageCpu";
  /** The job group {@code Migration.run} sets on its jobs. */
  static final String MIGRATE_GROUP = "tierdex-migrate";

  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private int job = -1;
  private long cpuAtStart;
  private long wallAtStart;

  @Override
  public void onJobStart(SparkListenerJobStart start) {
    if (job < 0 && start.properties() != null
        && MIGRATE_GROUP.equals(start.properties().getProperty("spark.jobGroup.id"))) {
      job = start.jobId();
      cpuAtStart = os.getProcessCpuTime();
      wallAtStart = System.nanoTime();
    }
  }

  @Override
  public void onJobEnd(SparkListenerJobEnd end) {
    if (end.jobId() != job) {
      return;
    }
    String file = System.getProperty(FILE);
    if (file == null) {
      return;
    }
    try {
      Files.writeString(Path.of(file), String.format(Locale.ROOT, "%.3f %.3f%n",
          (os.getProcessCpuTime() - cpuAtStart) / 1e9, (System.nanoTime() - wallAtStart) / 1e9));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
