package io.tierdex.sample;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * Generates a deterministic tree for demos, tests and benchmarks: the same spec always
 * gives the same names, sizes and modification times. Sizes follow a long-tailed mix
 * (mostly small files, a few large ones) like a project file system; a few symlinks
 * make the tree realistic.
 */
public final class SampleTree {
  /** Modification times are spread over the three years before this instant. */
  static final long ANCHOR_EPOCH_SECONDS = 1_780_272_000L; // 2026-06-01T00:00:00Z
  private static final String[] EXTENSIONS = {"dat", "h5", "nc", "log", "txt", "tar"};
  /** Filled trees are for demos and real-file tests: keep them small on disk. */
  private static final long MAX_FILLED_SIZE = 256L << 10;

  private SampleTree() {}

  /** Creates the tree at {@code root}, which must not exist yet. */
  public static void create(SampleTreeSpec spec, Path root, int threads) throws IOException {
    if (Files.exists(root)) {
      throw new IOException(root + " already exists; remove it or choose another directory");
    }
    Files.createDirectories(root.getParent());
    ForkJoinPool pool = new ForkJoinPool(Math.max(1, threads));
    try {
      pool.invoke(new DirTask(spec, root, 0, 0));
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } finally {
      pool.shutdown();
    }
  }

  private static final class DirTask extends RecursiveAction {
    private static final long serialVersionUID = 1L;
    private final SampleTreeSpec spec;
    private final transient Path dir;
    private final int level;
    private final long id;

    DirTask(SampleTreeSpec spec, Path dir, int level, long id) {
      this.spec = spec;
      this.dir = dir;
      this.level = level;
      this.id = id;
    }

    @Override
    protected void compute() {
      try {
        Files.createDirectory(dir);
        SplittableRandom random = new SplittableRandom(spec.seed() * 1_000_003L + id);
        for (int i = 0; i < spec.filesPerDir(); i++) {
          String name = String.format("file-%04d.%s", i, EXTENSIONS[(int) ((id + i) % 6)]);
          writeFile(dir.resolve(name), size(random), random);
        }
        if (spec.filesPerDir() > 0 && id % 7 == 3) {
          Files.createSymbolicLink(dir.resolve("latest"), Path.of("file-0000.dat"));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (level < spec.depth()) {
        List<DirTask> children = new ArrayList<>();
        for (int c = 0; c < spec.fanout(); c++) {
          children.add(new DirTask(spec, dir.resolve(String.format("dir-%02d", c)), level + 1,
              id * spec.fanout() + c + 1));
        }
        invokeAll(children);
      }
    }

    private void writeFile(Path file, long size, SplittableRandom random) throws IOException {
      if (spec.fill()) {
        long n = Math.min(size, MAX_FILLED_SIZE);
        byte[] block = new byte[(int) Math.min(n, 64 * 1024)];
        try (OutputStream out = Files.newOutputStream(file)) {
          for (long written = 0; written < n; written += block.length) {
            random.nextBytes(block);
            out.write(block, 0, (int) Math.min(block.length, n - written));
          }
        }
      } else {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
          f.setLength(size);
        }
      }
      long age = random.nextLong(3L * 365 * 86_400);
      Files.setLastModifiedTime(file, FileTime.fromMillis((ANCHOR_EPOCH_SECONDS - age) * 1000));
    }

    /** 40% up to 4 KiB, 30% up to 64 KiB, 20% up to 1 MiB, 9% up to 64 MiB, 1% up to 2 GiB. */
    private static long size(SplittableRandom r) {
      int bucket = r.nextInt(100);
      if (bucket < 40) return r.nextLong(4L << 10);
      if (bucket < 70) return r.nextLong(64L << 10);
      if (bucket < 90) return r.nextLong(1L << 20);
      if (bucket < 99) return r.nextLong(64L << 20);
      return r.nextLong(2L << 30);
    }
  }
}
