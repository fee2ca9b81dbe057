package io.tierdex.bench;

import io.tierdex.sample.SampleTree;
import io.tierdex.sample.SampleTreeSpec;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Times {@code tierdex index} as a whole process against {@code find -printf} emitting
 * the same stat fields over the same tree, in the same run, and prints them side by side.
 */
public final class IndexBenchmark {
  /** The fields GUFI stores, as find prints them: type, inode, mode, links, owner, size... */
  static final String FIND_FORMAT = "%y %i %m %n %U %G %s %b %A@ %T@ %C@ %p %l\\n";

  /** One preset and its target ratio (tierdex wall time / find wall time). */
  public record Case(String preset, double target) {}

  /** What one preset measured: the best and median of the repeats. */
  public record Figures(String preset, long entries, double findBest, double findMedian,
      double tierdexBest, double tierdexMedian, double floorBest, double target) {
    double ratio() {
      return tierdexBest / findBest;
    }
  }

  private final Path workdir;
  private final List<String> tierdexCommand;
  private final int threads;
  private final int repeats;
  private final boolean cold;
  private final PrintStream out;

  public IndexBenchmark(Path workdir, List<String> tierdexCommand, int threads, int repeats,
      boolean cold, PrintStream out) {
    this.workdir = workdir;
    this.tierdexCommand = List.copyOf(tierdexCommand);
    this.threads = threads;
    this.repeats = repeats;
    this.cold = cold;
    this.out = out;
  }

  public List<Figures> run(List<Case> cases) throws IOException, InterruptedException {
    List<Figures> all = new ArrayList<>();
    for (Case c : cases) {
      all.add(measure(c));
    }
    printTable(all);
    return all;
  }

  private Figures measure(Case c) throws IOException, InterruptedException {
    SampleTreeSpec spec = SampleTreeSpec.preset(c.preset());
    Path tree = ensureTree(workdir, c.preset(), out);
    Path index = workdir.resolve("index-" + c.preset());
    Path findOut = workdir.resolve("find-" + c.preset() + ".txt");
    out.printf("%s: warming up (one untimed pass of each)%n", c.preset());
    timeFind(tree, findOut);
    timeTierdex(tree, index);
    double[] find = new double[repeats];
    double[] tierdex = new double[repeats];
    double[] floor = new double[repeats];
    for (int i = 0; i < repeats; i++) {
      find[i] = timeFind(tree, findOut);
      tierdex[i] = timeTierdex(tree, workdir.resolve("index-" + c.preset() + "-" + i));
      floor[i] = timeFloor(tree, workdir.resolve("floor-" + c.preset() + "-" + i));
      out.printf(Locale.ROOT, "%s: run %d: find %.3f s, tierdex %.3f s, write floor %.3f s%n",
          c.preset(), i + 1, find[i], tierdex[i], floor[i]);
    }
    for (int i = 0; i < repeats; i++) {
      deleteTree(workdir.resolve("index-" + c.preset() + "-" + i));
      deleteTree(workdir.resolve("floor-" + c.preset() + "-" + i));
    }
    deleteTree(index);
    long entries = spec.directories() + spec.files() + symlinks(spec);
    return new Figures(c.preset(), entries, min(find), median(find), min(tierdex),
        median(tierdex), min(floor), c.target());
  }

  private static long symlinks(SampleTreeSpec spec) {
    long n = 0;
    for (long id = 0; id < spec.directories(); id++) {
      if (spec.filesPerDir() > 0 && id % 7 == 3) {
        n++;
      }
    }
    return n;
  }

  /** The generated tree of {@code preset} under {@code workdir}, made once and reused. */
  static Path ensureTree(Path workdir, String preset, PrintStream out) throws IOException {
    SampleTreeSpec spec = SampleTreeSpec.preset(preset);
    Path tree = workdir.resolve("tree-" + preset);
    Path marker = workdir.resolve("tree-" + preset + ".spec");
    if (Files.isDirectory(tree) && Files.exists(marker)
        && Files.readString(marker).strip().equals(spec.describe())) {
      return tree;
    }
    if (Files.exists(tree)) {
      throw new IOException(tree + " exists but was not made by this benchmark; remove it");
    }
    out.printf("%s: generating %,d directories and %,d files in %s%n", preset,
        spec.directories(), spec.files(), tree);
    SampleTree.create(spec, tree, Runtime.getRuntime().availableProcessors());
    Files.writeString(marker, spec.describe() + "\n");
    return tree;
  }

  private double timeFind(Path tree, Path findOut) throws IOException, InterruptedException {
    dropCachesIfAsked();
    return time(List.of("find", tree.toString(), "-printf", FIND_FORMAT.replace("\\n", "\n")),
        findOut.toFile());
  }

  /**
   * Every timed run indexes into a new, empty parent, as a first run does. Nothing is
   * deleted between timed runs: on a file system mounted with discard, a large delete
   * slows metadata operations for seconds afterwards. The writeback of each run is
   * flushed (untimed) so it does not land on the next measurement.
   */
  private double timeTierdex(Path tree, Path index) throws IOException, InterruptedException {
    deleteTree(index);
    sync();
    dropCachesIfAsked();
    List<String> cmd = new ArrayList<>(tierdexCommand);
    cmd.addAll(List.of("index", "--threads", Integer.toString(threads), tree.toString(),
        index.toString()));
    return time(cmd, workdir.resolve("tierdex-index.log").toFile());
  }

  /** See {@link WriteFloor}: in this JVM, so no start-up cost is in it. */
  private double timeFloor(Path tree, Path target) throws IOException, InterruptedException {
    deleteTree(target);
    sync();
    dropCachesIfAsked();
    double seconds = WriteFloor.time(tree, target, threads);
    sync();
    return seconds;
  }

  private static void sync() throws IOException, InterruptedException {
    new ProcessBuilder("sync").inheritIO().start().waitFor();
  }

  private static double time(List<String> cmd, File output)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(output);
    if (cmd.get(0).equals("find")) {
      pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    } else {
      pb.redirectErrorStream(true);
    }
    long start = System.nanoTime();
    Process p = pb.start();
    int rc = p.waitFor();
    double seconds = (System.nanoTime() - start) / 1e9;
    sync();
    if (rc != 0) {
      throw new IOException(String.join(" ", cmd) + " exited with " + rc + "; see " + output);
    }
    return seconds;
  }

  private void dropCachesIfAsked() throws IOException, InterruptedException {
    if (!cold) {
      return;
    }
    new ProcessBuilder("sync").inheritIO().start().waitFor();
    Path knob = Path.of("/proc/sys/vm/drop_caches");
    try {
      Files.writeString(knob, "3\n", StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IOException("--cold needs root to write " + knob + ": " + e.getMessage(), e);
    }
  }

  private static void deleteTree(Path p) throws IOException, InterruptedException {
    if (Files.exists(p)) {
      int rc = new ProcessBuilder("rm", "-rf", p.toString()).inheritIO().start().waitFor();
      if (rc != 0) {
        throw new IOException("cannot remove " + p);
      }
    }
  }

  private void printTable(List<Figures> all) {
    out.println();
    out.printf("tierdex index --threads %d vs find -printf '%s' (%s page cache, best of %d)%n",
        threads, FIND_FORMAT, cold ? "cold" : "warm", repeats);
    out.printf("%-7s %12s %10s %12s %12s %8s %8s  %-7s %10s %8s%n", "preset", "entries",
        "find (s)", "tierdex (s)", "entries/s", "ratio", "target", "verdict", "floor (s)",
        "floor/find");
    for (Figures f : all) {
      out.printf(Locale.ROOT, "%-7s %,12d %10.3f %12.3f %,12.0f %7.2fx %7.2fx  %-7s %10.3f %7.2fx%n",
          f.preset(), f.entries(), f.findBest(), f.tierdexBest(), f.entries() / f.tierdexBest(),
          f.ratio(), f.target(), f.ratio() <= f.target() ? "met" : "MISSED", f.floorBest(),
          f.floorBest() / f.findBest());
    }
    out.println("floor: only mkdir + a 48 KiB db.db per directory (no reading, no SQLite), "
        + "timed inside this JVM: what any GUFI-format indexer pays to this file system");
    out.printf("medians: %s%n", String.join(", ", all.stream().map(f -> String.format(Locale.ROOT,
        "%s find %.3f s / tierdex %.3f s", f.preset(), f.findMedian(), f.tierdexMedian()))
        .toList()));
  }

  private static double min(double[] v) {
    return Arrays.stream(v).min().orElseThrow();
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
