package io.tierdex.migrate;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.executor.CommitDeniedException;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;

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
  private final LongAccumulator filesSettled;
  private final LongAccumulator bytesSettled;

  /** The accumulators count files and bytes settled, for the driver's progress line. */
  MoveTask(Settings settings, LongAccumulator filesSettled, LongAccumulator bytesSettled) {
    this.settings = settings;
    this.filesSettled = filesSettled;
    this.bytesSettled = bytesSettled;
  }

  @Override
  public Iterator<BinSummary> call(Iterator<Row> rows) throws Exception {
    TaskContext ctx = TaskContext.get();
    int bin = ctx.partitionId();
    // Spark's name for this host: what --hosts must say to pin a bin here.
    String host = SparkEnv.get().blockManager().blockManagerId().host();
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
    FileSystem fs = binDir.getFileSystem(Hadoop.CONF);
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

    /**
     * Feeds the bin's files, in order, to {@code threads} mover threads through a short
     * queue, a directory's consecutive small files together: each thread keeps its
     * directory open from file to file, and threads working in different directories do
     * not queue for one directory's lock in the kernel.
     */
    void copyAll(Iterator<Row> rows) throws Exception {
      CopyMover mover = new CopyMover(settings.copy(), Clock.systemUTC());
      int threads = Math.max(1, settings.threads());
      ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
        Thread t = new Thread(r, "tierdex-mover-" + bin);
        t.setDaemon(true);
        return t;
      });
      BlockingQueue<List<PlannedTask>> queue = new ArrayBlockingQueue<>(threads * 2);
      List<Future<?>> workers = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        workers.add(pool.submit(() -> {
          try (OpenDirs dirs = mover.openDirs()) {
            for (List<PlannedTask> group = queue.take(); !group.isEmpty();
                group = queue.take()) {
              for (PlannedTask t : group) {
                copyOne(mover, dirs, t);
              }
            }
          }
          return null;
        }));
      }
      try {
        DirectoryGroups groups = new DirectoryGroups();
        while (rows.hasNext()) {
          PlannedTask t = task(rows.next());
          if (past.done().containsKey(t.file().path())) {
            resumed++;
            continue;
          }
          failIfInjected();
          for (List<PlannedTask> full : groups.add(t)) {
            offer(queue, full, workers);
          }
        }
        List<PlannedTask> last = groups.rest();
        if (!last.isEmpty()) {
          offer(queue, last, workers);
        }
        for (int i = 0; i < threads; i++) {
          offer(queue, List.of(), workers); // the end
        }
        for (Future<?> w : workers) {
          w.get();
        }
      } catch (ExecutionException e) {
        throw e.getCause() instanceof Exception c ? c : e;
      } finally {
        // A failing bin stops its movers and waits for them, so none writes a journal line
        // while the journal closes.
        pool.shutdownNow();
        pool.awaitTermination(2, TimeUnit.MINUTES); // past that, the journal's lock suffices
      }
    }

    private void offer(BlockingQueue<List<PlannedTask>> queue, List<PlannedTask> group,
        List<Future<?>> workers) throws Exception {
      while (!queue.offer(group, 100, TimeUnit.MILLISECONDS)) {
        rethrowIfFailed(workers);
      }
    }

    /** A mover thread's exception fails the task. */
    private void rethrowIfFailed(List<Future<?>> workers) throws Exception {
      for (Future<?> w : workers) {
        if (w.isDone()) {
          w.get();
        }
      }
    }

    private void copyOne(CopyMover mover, OpenDirs dirs, PlannedTask t) throws IOException,
        InterruptedException {
      long start = System.currentTimeMillis();
      PlannedFile f = t.file();
      MoveResult r = null;
      Journal.Swap swap = past.swapping().get(f.path());
      if (swap != null) {
        r = mover.recover(f, swap.tempInode(), swap.checksum());
      }
      if (r == null) {
        r = mover.move(f, (file, tempInode, sum) -> journal.swap(file.path(), tempInode, sum),
            dirs);
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
          journal.flush(); // a batch's outcomes, before the next batch is moved
          batch.clear();
        }
      }
    }

    private synchronized void record(PlannedTask t, MoveResult r, long start)
        throws IOException {
      journal.done(LedgerRow.of(t, r, start, System.currentTimeMillis(), host, executor,
          attempt));
      settled++;
      filesSettled.add(1);
      bytesSettled.add(t.file().size());
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

  /**
   * Consecutive files of one directory, up to {@link #FILES} files or {@link #BYTES} bytes:
   * a mover thread's unit of work. Large files go one by one, so they spread over threads.
   */
  static final class DirectoryGroups {
    static final int FILES = 32;
    static final long BYTES = 16L << 20;
    private List<PlannedTask> group = new ArrayList<>();
    private String dir;
    private long bytes;

    /** Adds a file; returns the groups it completed: none, one, or (a big file) two. */
    List<List<PlannedTask>> add(PlannedTask t) {
      String path = t.file().path();
      String parent = path.substring(0, Math.max(0, path.lastIndexOf('/')));
      List<List<PlannedTask>> full = new ArrayList<>(2);
      if (!group.isEmpty() && !parent.equals(dir)) {
        full.add(rest());
      }
      group.add(t);
      dir = parent;
      bytes += t.file().size();
      if (group.size() >= FILES || bytes >= BYTES) {
        full.add(rest());
      }
      return full;
    }

    /** The group begun, and a new one. */
    List<PlannedTask> rest() {
      List<PlannedTask> g = group;
      group = new ArrayList<>();
      bytes = 0;
      return g;
    }
  }

  /** One Hadoop configuration per executor: each new one parses its XML files again. */
  private static final class Hadoop {
    static final Configuration CONF = new Configuration();
  }

  private static PlannedTask task(Row r) {
    PlannedFile f = new PlannedFile(r.getAs("path"), r.getAs("inode"),
        r.<Long>getAs("size"), r.<Long>getAs("mtime"), r.<Long>getAs("ctime"),
        r.getAs("from_pool"), r.<Integer>getAs("from_pool_id"), r.getAs("to_pool"),
        r.<Integer>getAs("to_pool_id"));
    return new PlannedTask(f, r.getAs("rule"), r.<Integer>getAs("bin"));
  }
}
