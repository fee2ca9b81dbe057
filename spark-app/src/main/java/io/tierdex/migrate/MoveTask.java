package io.tierdex.migrate;

import java.io.IOException;
import java.io.Serializable;
import java.net.InetAddress;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.executor.CommitDeniedException;
import org.apache.spark.sql.Row;

/**
 * One bin, on an executor: its files arrive largest first and go through a bounded pool of
 * mover threads. Before touching anything the task asks the driver for the bin (Spark's
 * commit coordinator authorises one attempt per bin, so a speculative copy of the task
 * cannot move a file twice), and reads the bin's journal: files settled by an earlier
 * attempt are skipped, a swap without an outcome is settled from the file itself.
 */
final class MoveTask implements FlatMapFunction<Iterator<Row>, BinSummary> {
  /**
   * The settings a task needs.
   *
   * @param threads mover threads in one task (files in flight per task)
   * @param failAfter tests only: the first attempt of every bin fails after this many files
   */
  record Settings(MoverKind mover, CopyMover.Options copy, String journal, int threads,
      int batch, String beegfs, String beegfsCtl, int failAfter) implements Serializable {}

  private final Settings settings;

  MoveTask(Settings settings) {
    this.settings = settings;
  }

  @Override
  public Iterator<BinSummary> call(Iterator<Row> rows) throws Exception {
    TaskContext ctx = TaskContext.get();
    int bin = ctx.partitionId();
    String host = InetAddress.getLocalHost().getHostName();
    String executor = SparkEnv.get().executorId();
    if (!rows.hasNext()) {
      return List.<BinSummary>of().iterator();
    }
    requireRoot(host);
    if (!SparkEnv.get().outputCommitCoordinator().canCommit(ctx.stageId(),
        ctx.stageAttemptNumber(), bin, ctx.attemptNumber())) {
      throw new CommitDeniedException("bin " + bin + " is being moved by another attempt;"
          + " this one stands down", ctx.stageId(), bin, ctx.attemptNumber());
    }
    Path binDir = Journal.binDir(new Path(settings.journal()), bin);
    FileSystem fs = binDir.getFileSystem(new Configuration());
    Journal.Past past = Journal.read(fs, binDir);
    // Task attempt ids start again in every application: a rerun after a killed driver
    // must not find its journal's name taken.
    String attempt = SparkEnv.get().conf().getAppId() + "-" + ctx.stageAttemptNumber() + "-"
        + ctx.attemptNumber() + "-" + ctx.taskAttemptId();
    try (Journal journal = Journal.create(fs, binDir, attempt)) {
      Run run = new Run(bin, host, executor, ctx.attemptNumber(), journal, past);
      if (settings.mover() == MoverKind.COPY) {
        run.copyAll(rows);
      } else {
        run.batches(rows);
      }
      return List.of(run.summary()).iterator();
    }
  }

  /** Fails fast where the file system is not mounted, so Spark retries the bin elsewhere. */
  private void requireRoot(String host) {
    String root = settings.copy().root();
    if (!Files.isDirectory(java.nio.file.Path.of(root))) {
      throw new IllegalStateException("host " + host + ": " + root + " is not mounted here"
          + " (not a directory); run executors on BeeGFS client nodes (--hosts). Spark"
          + " retries this bin on another executor.");
    }
  }

  /** The state of one task attempt. */
  private final class Run {
    private final int bin;
    private final String host;
    private final String executor;
    private final int attempt;
    private final Journal journal;
    private final Journal.Past past;
    private volatile long settled;
    private long resumed;

    Run(int bin, String host, String executor, int attempt, Journal journal,
        Journal.Past past) {
      this.bin = bin;
      this.host = host;
      this.executor = executor;
      this.attempt = attempt;
      this.journal = journal;
      this.past = past;
    }

    void copyAll(Iterator<Row> rows) throws Exception {
      CopyMover mover = new CopyMover(settings.copy(), Clock.systemUTC());
      int threads = Math.max(1, settings.threads());
      ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
        Thread t = new Thread(r, "tierdex-mover-" + bin);
        t.setDaemon(true);
        return t;
      });
      Semaphore inFlight = new Semaphore(threads * 2);
      List<Future<?>> pending = new ArrayList<>();
      try {
        while (rows.hasNext()) {
          PlannedTask t = task(rows.next());
          if (past.done().containsKey(t.file().path())) {
            resumed++;
            continue;
          }
          failIfInjected();
          inFlight.acquire();
          pending.add(pool.submit(() -> {
            try {
              copyOne(mover, t);
              return null;
            } finally {
              inFlight.release();
            }
          }));
          for (Iterator<Future<?>> it = pending.iterator(); it.hasNext(); ) {
            Future<?> f = it.next();
            if (f.isDone()) {
              f.get(); // a mover thread's exception fails the task
              it.remove();
            }
          }
        }
        for (Future<?> f : pending) {
          f.get();
        }
      } catch (ExecutionException e) {
        throw e.getCause() instanceof Exception c ? c : e;
      } finally {
        pool.shutdownNow();
      }
    }

    private void copyOne(CopyMover mover, PlannedTask t) throws IOException,
        InterruptedException {
      long start = System.currentTimeMillis();
      PlannedFile f = t.file();
      MoveResult r = null;
      Journal.Swap swap = past.swapping().get(f.path());
      if (swap != null) {
        r = mover.recover(f, swap.tempInode(), swap.checksum());
      }
      if (r == null) {
        r = mover.move(f, (file, tempInode, sum) -> journal.swap(file.path(), tempInode, sum));
      }
      record(t, r, start);
    }

    void batches(Iterator<Row> rows) throws IOException {
      BatchMover mover = settings.mover() == MoverKind.BEEGFS
          ? new BeegfsEntryMover(settings.beegfs(), BeegfsEntryMover.DEFAULT_TIMEOUT)
          : new BeegfsCtlMover(settings.beegfsCtl(), BeegfsCtlMover.DEFAULT_TIMEOUT);
      List<PlannedTask> batch = new ArrayList<>();
      while (rows.hasNext()) {
        PlannedTask t = task(rows.next());
        if (past.done().containsKey(t.file().path())) {
          resumed++;
          continue;
        }
        batch.add(t);
        if (batch.size() >= settings.batch() || !rows.hasNext()) {
          long start = System.currentTimeMillis();
          List<MoveResult> results = mover.move(batch.stream().map(PlannedTask::file)
              .toList());
          for (int i = 0; i < batch.size(); i++) {
            record(batch.get(i), results.get(i), start);
          }
          batch.clear();
        }
      }
    }

    private synchronized void record(PlannedTask t, MoveResult r, long start)
        throws IOException {
      journal.done(LedgerRow.of(t, r, start, System.currentTimeMillis(), host, executor,
          attempt));
      settled++;
    }

    private void failIfInjected() {
      if (settings.failAfter() > 0 && attempt == 0 && settled >= settings.failAfter()) {
        throw new IllegalStateException("injected failure after " + settled + " files of bin "
            + bin + " (test setting)");
      }
    }

    BinSummary summary() {
      return new BinSummary(bin, host, executor, attempt, settled, resumed);
    }
  }

  private static PlannedTask task(Row r) {
    PlannedFile f = new PlannedFile(r.getAs("path"), r.getAs("inode"),
        r.<Long>getAs("size"), r.<Long>getAs("mtime"), r.<Long>getAs("ctime"),
        r.getAs("from_pool"), r.<Integer>getAs("from_pool_id"), r.getAs("to_pool"),
        r.<Integer>getAs("to_pool_id"));
    return new PlannedTask(f, r.getAs("rule"), r.<Integer>getAs("bin"));
  }
}
