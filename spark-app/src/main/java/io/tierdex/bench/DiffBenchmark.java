package io.tierdex.bench;

import io.tierdex.index.DirectoryDbFile;
import io.tierdex.index.Trees;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;

/**
 * {@code tierdex diff} between two snapshots of a generated tree with realistic churn
 * (1% modified, 0.5% removed, 0.5% added, 0.1% renamed across directories), whole
 * process, beside {@code sqldiff --primarykey} over the same snapshots flattened into
 * one SQLite table per side, and beside {@code sqldiff} run per directory over the two
 * index trees (the seed's way, {@code threads} at a time). Trees, snapshots and
 * flattened tables are built once under the work directory and reused.
 */
public final class DiffBenchmark {
  /** 100 files per directory, 1,000 directories per group. */
  private static final int FILES_PER_DIR = 100;
  private static final int DIRS_PER_GROUP = 1000;
  private static final int RENAME_STRIDE = 7919;
  private static final Pattern SNAPSHOT = Pattern.compile("snapshot (\\S+): ");

  private final Path workdir;
  private final List<String> tierdex;
  private final int threads;
  private final int repeat;
  private final PrintStream out;

  public DiffBenchmark(Path workdir, List<String> tierdex, int threads, int repeat,
      PrintStream out) {
    this.workdir = workdir;
    this.tierdex = tierdex;
    this.threads = threads;
    this.repeat = repeat;
    this.out = out;
  }

  public static long entries(String preset) {
    return switch (preset) {
      case "100k" -> 100_000;
      case "1m" -> 1_000_000;
      case "10m" -> 10_000_000;
      default -> throw new IllegalArgumentException("unknown diff preset '" + preset
          + "' (available: 100k, 1m, 10m)");
    };
  }

  /**
   * A preset's two index trees, their committed snapshots and the snapshots flattened into
   * SQLite, built on first use under the work directory.
   */
  public record Prepared(Path base, Path oldIndex, Path newIndex, Path state, String[] runs,
      Path flatOld, Path flatNew, int dirs) {}

  public Prepared prepare(String preset) throws Exception {
    long n = entries(preset);
    int dirs = (int) (n / FILES_PER_DIR);
    Path base = workdir.resolve("diff-" + preset);
    Path oldIndex = base.resolve("index-old/tree");
    Path newIndex = base.resolve("index-new/tree");
    Path state = base.resolve("state");
    if (!Files.exists(base.resolve(".generated"))) {
      out.printf("generating two index trees of %,d entries in %,d directories...%n", n, dirs);
      generate(oldIndex, newIndex, dirs);
      Files.writeString(base.resolve(".generated"), "");
    }
    Path runsFile = base.resolve(".snapshots");
    if (!Files.exists(runsFile)) {
      Trees.delete(state);
      String a = snapshot(oldIndex, state, base.resolve("snapshot-old.log"));
      String b = snapshot(newIndex, state, base.resolve("snapshot-new.log"));
      Files.writeString(runsFile, a + " " + b);
    }
    String[] runs = Files.readString(runsFile).split(" ");
    Path flatOld = base.resolve("flat-old.db");
    Path flatNew = base.resolve("flat-new.db");
    if (!Files.exists(base.resolve(".flattened"))) {
      out.println("flattening both snapshots into SQLite tables for sqldiff...");
      SparkSession spark = SparkSession.builder().master("local[" + threads + "]")
          .appName("tierdex bench diff").config("spark.ui.enabled", "false").getOrCreate();
      FlatEntries.write(spark.read().parquet(state.resolve("runs").resolve(runs[0])
          .resolve("snapshot").toString()), flatOld);
      FlatEntries.write(spark.read().parquet(state.resolve("runs").resolve(runs[1])
          .resolve("snapshot").toString()), flatNew);
      Files.writeString(base.resolve(".flattened"), "");
    }
    return new Prepared(base, oldIndex, newIndex, state, runs, flatOld, flatNew, dirs);
  }

  public void run(String preset) throws Exception {
    long n = entries(preset);
    Prepared prepared = prepare(preset);
    Path base = prepared.base();
    Path state = prepared.state();
    String[] runs = prepared.runs();
    Path flatOld = prepared.flatOld();
    Path flatNew = prepared.flatNew();
    Path oldIndex = prepared.oldIndex();
    Path newIndex = prepared.newIndex();
    int dirs = prepared.dirs();

    List<Double> ours = new ArrayList<>();
    List<Long> rss = new ArrayList<>();
    for (int i = 0; i < repeat; i++) {
      List<String> cmd = new ArrayList<>(tierdex);
      cmd.addAll(List.of("diff", "--state", state.toString(), "--old", runs[0], "--new",
          runs[1], "--keep", "1000"));
      Path rssFile = base.resolve("diff.rss");
      if (Files.isExecutable(Path.of("/usr/bin/time"))) {
        cmd.addAll(0, List.of("/usr/bin/time", "-f", "%M", "-o", rssFile.toString()));
      }
      ours.add(time(cmd, base.resolve("diff.out").toFile(), base.resolve("diff.log").toFile()));
      if (Files.exists(rssFile)) {
        rss.add(Long.parseLong(Files.readString(rssFile).strip().lines().reduce((x, y) -> y)
            .orElse("0")));
      }
    }
    String summary = Files.readString(base.resolve("diff.out"));
    List<Double> flat = new ArrayList<>();
    for (int i = 0; i < repeat; i++) {
      flat.add(time(List.of("sqldiff", "--primarykey", flatOld.toString(), flatNew.toString()),
          base.resolve("sqldiff.out").toFile(), base.resolve("sqldiff.log").toFile()));
    }
    String check = agreement(base.resolve("sqldiff.out"), summary);
    double perDir = perDirectory(oldIndex, newIndex, dirs);

    double best = ours.stream().min(Double::compare).orElseThrow();
    double flatBest = flat.stream().min(Double::compare).orElseThrow();
    out.printf("%n== diff %s: %,d entries, %,d directories, %d cores, best of %d ==%n", preset,
        n, dirs, Runtime.getRuntime().availableProcessors(), repeat);
    out.printf("%-46s %10s %10s%n", "", "seconds", "vs tierdex");
    out.printf("%-46s %10.2f %10s%n", "tierdex diff (whole process)", best, "1.00x");
    out.printf("%-46s %10.2f %9.2fx%n", "sqldiff --primarykey, flattened tables", flatBest,
        flatBest / best);
    out.printf("%-46s %10.2f %9.2fx%n", "sqldiff per directory (" + threads + " at a time)",
        perDir, perDir / best);
    out.printf("targets: tierdex <= 1/2 of sqldiff --primarykey (%.2f s), aim 1/3 (%.2f s);"
        + " >= 20x per-directory sqldiff (%.2f s)%n", flatBest / 2, flatBest / 3, perDir / 20);
    out.printf("tierdex diff runs: %s s; peak RSS: %s%n", format(ours),
        rss.isEmpty() ? "n/a (no /usr/bin/time)" : rss.stream()
            .map(k -> String.format(Locale.ROOT, "%.0f MiB", k / 1024.0)).toList());
    out.println(check);
    out.print(summary.lines().map(l -> "  | " + l + "\n").reduce("", String::concat));
  }

  /** Old and new index trees; the new one is the old one after the churn. */
  private void generate(Path oldIndex, Path newIndex, int dirs) throws Exception {
    Trees.delete(oldIndex.getParent());
    Trees.delete(newIndex.getParent());
    ThreadLocal<DirectoryDbFile> writers = ThreadLocal.withInitial(DirectoryDbFile::new);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (Path root : List.of(oldIndex, newIndex)) {
        Files.createDirectories(root);
        writers.get().write(root.resolve("db.db"), "tree", 2, 1, List.of());
        int groups = (dirs + DIRS_PER_GROUP - 1) / DIRS_PER_GROUP;
        for (int g = 0; g < groups; g++) {
          Path group = root.resolve(String.format("g%03d", g));
          Files.createDirectories(group);
          writers.get().write(group.resolve("db.db"), group.getFileName().toString(), 3 + g, 2,
              List.of());
        }
      }
      for (int d = 0; d < dirs; d++) {
        int dir = d;
        done.add(pool.submit(() -> {
          for (boolean after : new boolean[] {false, true}) {
            Path path = (after ? newIndex : oldIndex).resolve(dirPath(dir));
            Files.createDirectories(path);
            writers.get().write(path.resolve("db.db"), path.getFileName().toString(),
                1_000_000L + dir, 3 + dir / DIRS_PER_GROUP, entries(dir, dirs, after));
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  private static String dirPath(int dir) {
    return String.format("g%03d/d%04d", dir / DIRS_PER_GROUP, dir % DIRS_PER_GROUP);
  }

  /** A directory's files before or after the churn; everything follows from the file id. */
  private static List<DirectoryDbFile.Entry> entries(int dir, int dirs, boolean after) {
    List<DirectoryDbFile.Entry> out = new ArrayList<>(FILES_PER_DIR + 4);
    for (int j = 0; j < FILES_PER_DIR; j++) {
      long id = (long) dir * FILES_PER_DIR + j;
      long h = mix(id);
      int churn = (int) Long.remainderUnsigned(h, 10_000);
      DirectoryDbFile.Entry e = file(String.format("file-%09d.dat", id), id, h);
      if (!after) {
        out.add(e);
        continue;
      }
      if (churn < 100) { // 1% modified: appended to a day later
        out.add(new DirectoryDbFile.Entry(e.name(), e.inode(), e.size() + 4096,
            e.mtime() + 86_400, e.ctime() + 86_400, e.uid(), e.gid()));
      } else if (churn >= 160 || churn < 100) {
        out.add(e);
      } // 100..149 removed (0.5%), 150..159 renamed away (0.1%)
      if (churn >= 160 && churn < 210) { // 0.5% added beside
        out.add(file(String.format("new-%09d.dat", id), 20_000_000_000L + id, mix(h)));
      }
    }
    if (after) {
      int from = Math.floorMod(dir - RENAME_STRIDE, dirs);
      for (int j = 0; j < FILES_PER_DIR; j++) {
        long id = (long) from * FILES_PER_DIR + j;
        long h = mix(id);
        int churn = (int) Long.remainderUnsigned(h, 10_000);
        if (churn >= 150 && churn < 160) {
          DirectoryDbFile.Entry e = file("", id, h);
          out.add(new DirectoryDbFile.Entry(String.format("moved-%09d.dat", id), e.inode(),
              e.size(), e.mtime(), e.ctime() + 86_400, e.uid(), e.gid()));
        }
      }
    }
    return out;
  }

  private static DirectoryDbFile.Entry file(String name, long id, long h) {
    long size = Long.remainderUnsigned(h >>> 7, 1L << 24);
    long mtime = 1_600_000_000L + Long.remainderUnsigned(h >>> 3, 30_000_000L);
    return new DirectoryDbFile.Entry(name, 10_000_000_000L + id, size, mtime, mtime,
        1000 + Long.remainderUnsigned(h >>> 11, 20), 100 + Long.remainderUnsigned(h >>> 17, 5));
  }

  private static long mix(long x) { // splitmix64's finalizer
    x = (x ^ (x >>> 30)) * 0xbf58476d1ce4e5b9L;
    x = (x ^ (x >>> 27)) * 0x94d049bb133111ebL;
    return x ^ (x >>> 31);
  }

  private String snapshot(Path index, Path state, Path log) throws Exception {
    List<String> cmd = new ArrayList<>(tierdex);
    cmd.addAll(List.of("snapshot", "--state", state.toString(), "--source", "/bench/tree",
        "--keep", "1000", index.toString()));
    Path output = log.resolveSibling(log.getFileName() + ".out");
    double s = time(cmd, output.toFile(), log.toFile());
    Matcher m = SNAPSHOT.matcher(Files.readString(output));
    if (!m.find()) {
      throw new IllegalStateException("tierdex snapshot failed; see " + log);
    }
    out.printf("tierdex snapshot %s: %.2f s%n", index, s);
    return m.group(1);
  }

  /** sqldiff on each directory's pair of db.db files, {@code threads} processes at a time. */
  private double perDirectory(Path oldIndex, Path newIndex, int dirs) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    AtomicLong failures = new AtomicLong();
    long start = System.nanoTime();
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int d = 0; d < dirs; d++) {
        String rel = dirPath(d) + "/db.db";
        done.add(pool.submit(() -> {
          Process p = new ProcessBuilder("sqldiff", oldIndex.resolve(rel).toString(),
              newIndex.resolve(rel).toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD).start();
          if (p.waitFor() != 0) {
            failures.incrementAndGet();
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    if (failures.get() > 0) {
      throw new IllegalStateException(failures + " per-directory sqldiff runs failed");
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /** Checks sqldiff's inserted/deleted/updated row counts against tierdex's summary. */
  private static String agreement(Path sqldiff, String summary) throws IOException {
    long[] counts = new long[3];
    try (var lines = Files.lines(sqldiff)) {
      lines.forEach(l -> {
        if (l.startsWith("INSERT")) {
          counts[0]++;
        } else if (l.startsWith("DELETE")) {
          counts[1]++;
        } else if (l.startsWith("UPDATE")) {
          counts[2]++;
        }
      });
    }
    long added = kind(summary, "ADDED");
    long removed = kind(summary, "REMOVED");
    long renamed = kind(summary, "RENAMED");
    long updated = kind(summary, "MODIFIED") + kind(summary, "REPLACED")
        + kind(summary, "MIGRATED");
    boolean same = counts[0] == added + renamed && counts[1] == removed + renamed
        && counts[2] == updated;
    return String.format(Locale.ROOT, "check: sqldiff inserts %,d deletes %,d updates %,d;"
        + " tierdex added+renamed %,d removed+renamed %,d modified+replaced+migrated %,d: %s",
        counts[0], counts[1], counts[2], added + renamed, removed + renamed, updated,
        same ? "the same" : "DIFFERENT");
  }

  private static long kind(String summary, String kind) {
    Matcher m = Pattern.compile("(?m)^\\s+" + kind + "\\s+([\\d,]+)").matcher(summary);
    return m.find() ? Long.parseLong(m.group(1).replace(",", "")) : -1;
  }

  static double time(List<String> cmd, File output, File log)
      throws IOException, InterruptedException {
    return time(cmd, output, log, Map.of());
  }

  /** Runs {@code cmd} with {@code env} added; seconds, wall clock. */
  static double time(List<String> cmd, File output, File log, Map<String, String> env)
      throws IOException, InterruptedException {
    long start = System.nanoTime();
    ProcessBuilder b = new ProcessBuilder(cmd).redirectOutput(output).redirectError(log);
    b.environment().putAll(env);
    Process p = b.start();
    int exit = p.waitFor();
    double s = (System.nanoTime() - start) / 1e9;
    if (exit != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " exited " + exit + "; see " + log);
    }
    return s;
  }

  static String format(List<Double> seconds) {
    return seconds.stream().map(s -> String.format(Locale.ROOT, "%.2f", s)).toList().toString();
  }
}
