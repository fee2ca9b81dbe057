package io.tierdex.index;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import jnr.posix.FileStat;

/**
 * {@code tierdex index}: builds a GUFI-compatible index of each source directory under
 * the index parent, as {@code gufi_dir2index} does.
 *
 * <p>Each source is built beside its final place ({@code .tierdex-new.<name>}) and
 * swapped in by rename only when complete, so a crash, a {@code --strict} stop or a
 * failure leaves the previous index as it was, and a re-index leaves no stale rows or
 * directories behind.
 */
public final class TreeIndexer {
  static final String STAGING_PREFIX = ".tierdex-new.";
  static final String RETIRED_PREFIX = ".tierdex-old.";
  private static final String DB_NAME = "db.db";

  private final PrintStream err;
  private final boolean terminal;

  /** What a finished run did. */
  public record Result(long dirs, long nondirs, long problems, Duration elapsed,
      List<Path> indexRoots) {}

  public TreeIndexer(PrintStream err, boolean terminal) {
    this.err = err;
    this.terminal = terminal;
  }

  public Result index(IndexRequest request) throws IndexException, InterruptedException {
    long start = System.nanoTime();
    // The schema template and the native bindings each take a few hundred ms to load
    // in a fresh JVM; load them side by side.
    CompletableFuture<GufiSchema> schemaLoad = CompletableFuture.supplyAsync(GufiSchema::load);
    NativeFs fs = NativeFs.load();
    Map<Path, EntryStat> sources = validateSources(request, fs);
    Path parent = prepareParent(request.indexParent(), sources.keySet());
    GufiSchema schema = schemaLoad.join();

    err.printf("Creating GUFI tree %s with %d threads%n", parent, request.threads());
    IndexStats stats = new IndexStats();
    IndexProblems problems = new IndexProblems(err, request.strict());
    List<Path> roots = new ArrayList<>();
    try (IndexLock lock = IndexLock.acquire(parent);
        ProgressLine progress = new ProgressLine(s -> String.format(Locale.ROOT,
            "indexing: %,d dirs, %,d entries in %.0fs (%,.0f dirs/s, %,.0f entries/s)",
            stats.dirs.sum(), stats.nondirs.sum(), s, stats.dirs.sum() / s,
            stats.nondirs.sum() / s), err, terminal)) {
      ForkJoinPool pool = new ForkJoinPool(request.threads());
      TreeWalk walk = new TreeWalk(request, schema, fs, stats, problems);
      try {
        for (Map.Entry<Path, EntryStat> source : sources.entrySet()) {
          roots.add(indexOne(source.getKey(), source.getValue(), parent, walk, pool, problems));
        }
      } finally {
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.MINUTES);
      }
      writeEmptyDb(parent, schema);
    } catch (IOException e) {
      throw IndexException.failed("cannot finish the index in " + parent + ": " + e.getMessage());
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    Result result = new Result(stats.dirs.sum(), stats.nondirs.sum(), problems.total(), elapsed,
        roots);
    printSummary(result, stats, problems);
    return result;
  }

  private Path indexOne(Path source, EntryStat stat, Path parent, TreeWalk walk,
      ForkJoinPool pool, IndexProblems problems)
      throws IOException, IndexException, InterruptedException {
    String name = source.getFileName().toString();
    Path staging = parent.resolve(STAGING_PREFIX + name);
    Path target = parent.resolve(name);
    Trees.delete(staging); // left by a run that crashed
    walk.run(source, stat, staging, pool);
    if (problems.fatal() != null) {
      Trees.delete(staging);
      throw IndexException.failed("stopped (--strict): " + problems.fatal()
          + "; the previous index, if any, is unchanged");
    }
    if (!Files.isDirectory(staging)) {
      throw IndexException.failed("nothing was indexed from " + source
          + " (see the messages above); the previous index, if any, is unchanged");
    }
    Path retired = parent.resolve(RETIRED_PREFIX + name);
    Trees.delete(retired);
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      move(target, retired);
    }
    move(staging, target);
    Trees.delete(retired);
    return target;
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("cannot rename " + from + " to " + to + " atomically", e);
    }
  }

  private Map<Path, EntryStat> validateSources(IndexRequest request, NativeFs fs)
      throws IndexException {
    Map<Path, EntryStat> out = new java.util.LinkedHashMap<>();
    Map<String, Path> byName = new HashMap<>();
    FileStat st = fs.newStat();
    for (Path given : request.sources()) {
      Path source = given.toAbsolutePath().normalize();
      if (source.getFileName() == null) {
        throw IndexException.usage("cannot index the file system root " + given
            + " as one tree: name its top-level directories instead");
      }
      int errno = fs.stat(source.toString(), st);
      if (errno != 0) {
        throw IndexException.usage("source " + given + " cannot be used: " + fs.describe(errno)
            + " (give an existing directory)");
      }
      EntryStat stat = EntryStat.of(st);
      if (!stat.isDirectory()) {
        throw IndexException.usage("source " + given + " is not a directory (give a directory;"
            + " tierdex indexes whole trees)");
      }
      String name = source.getFileName().toString();
      Path clash = byName.putIfAbsent(name, source);
      if (clash != null) {
        throw IndexException.usage("sources " + clash + " and " + source + " would both be indexed"
            + " as " + request.indexParent().resolve(name) + "; index them into different parents");
      }
      out.put(source, stat);
    }
    return out;
  }

  private static Path prepareParent(Path given, Iterable<Path> sources) throws IndexException {
    Path parent = given.toAbsolutePath().normalize();
    for (Path source : sources) {
      Path real = realOrSelf(source);
      if (realOrSelf(parent).startsWith(real)) {
        throw IndexException.usage("index parent " + given + " is inside source " + source
            + "; put the index outside the tree it describes");
      }
      // The index of SRC goes to PARENT/<basename SRC>: that must never be SRC itself.
      if (real.equals(realOrSelf(parent.resolve(source.getFileName())))) {
        throw IndexException.usage("source " + source + " would be replaced by its own index"
            + " (" + given + " is its parent); choose an index parent outside the source's"
            + " directory");
      }
    }
    try {
      Files.createDirectories(parent);
    } catch (AccessDeniedException e) {
      throw IndexException.failed("cannot create index parent " + given
          + ": Permission denied (choose a directory you can write)");
    } catch (FileAlreadyExistsException e) {
      throw IndexException.usage("index parent " + given + " exists and is not a directory");
    } catch (IOException e) {
      throw IndexException.failed("cannot create index parent " + given + ": " + e.getMessage()
          + " (choose a directory you can write)");
    }
    if (!Files.isWritable(parent)) {
      throw IndexException.failed("cannot write into index parent " + given
          + ": Permission denied (choose a directory you can write, or run as its owner)");
    }
    return parent;
  }

  /** The real path of {@code p}, or of its nearest existing ancestor joined with the rest. */
  private static Path realOrSelf(Path p) {
    Path existing = p;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return p;
    }
    try {
      return existing.toRealPath().resolve(existing.relativize(p));
    } catch (IOException e) {
      return p;
    }
  }

  /** GUFI puts an empty db.db in the index parent so querying the parent itself works. */
  private static void writeEmptyDb(Path parent, GufiSchema schema) throws IOException {
    Path db = parent.resolve(DB_NAME);
    if (Files.exists(db, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Path tmp = Files.createTempFile(parent, ".db.db.", ".tmp");
    Files.write(tmp, schema.emptyDatabase());
    Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions
        .fromString("rw-rw-r--"));
    Files.move(tmp, db, StandardCopyOption.ATOMIC_MOVE);
  }

  private void printSummary(Result r, IndexStats stats, IndexProblems problems) {
    double s = Math.max(r.elapsed().toNanos() / 1e9, 1e-9);
    err.printf(Locale.ROOT, "Total Dirs:          %d%n", r.dirs());
    err.printf(Locale.ROOT, "Total Non-Dirs:      %d%n", r.nondirs());
    err.printf(Locale.ROOT, "Time Spent Indexing: %.2fs%n", s);
    err.printf(Locale.ROOT, "Dirs/Sec:            %.2f%n", r.dirs() / s);
    err.printf(Locale.ROOT, "Non-Dirs/Sec:        %.2f%n", r.nondirs() / s);
    if (stats.specials.sum() > 0) {
      err.printf(Locale.ROOT, "Not Stored:          %d (FIFOs, sockets, devices)%n",
          stats.specials.sum());
    }
    for (IndexProblems.Kind kind : IndexProblems.Kind.values()) {
      long n = problems.count(kind);
      if (n > 0) {
        err.printf(Locale.ROOT, "Problems:            %d %s (%s)%n", n, kind.plural, kind.action);
      }
    }
    for (Path root : r.indexRoots()) {
      err.println("Index:               " + root);
    }
  }
}
