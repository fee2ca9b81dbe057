package io.tierdex.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * The least any GUFI-format indexer has to write on this file system: one directory and
 * one 48 KiB {@code db.db} per source directory, with nothing read and no SQLite. Timing
 * it beside find tells how much of an index run the disk alone dictates.
 */
final class WriteFloor {
  /** An empty GUFI db.db: twelve 4 KiB pages. */
  private static final byte[] EMPTY_DB = new byte[48 * 1024];
  private static final int CHUNK = 256;

  private WriteFloor() {}

  /** Seconds to create the directory skeleton of {@code tree} under {@code target}. */
  static double time(Path tree, Path target, int threads)
      throws IOException, InterruptedException {
    TreeMap<Integer, List<Path>> levels = new TreeMap<>();
    try (Stream<Path> all = Files.walk(tree)) {
      all.filter(Files::isDirectory).map(tree::relativize)
          .forEach(rel -> levels.computeIfAbsent(depth(rel), k -> new ArrayList<>()).add(rel));
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      long start = System.nanoTime();
      for (List<Path> level : levels.values()) {
        List<Future<?>> chunks = new ArrayList<>();
        for (int i = 0; i < level.size(); i += CHUNK) {
          List<Path> chunk = level.subList(i, Math.min(level.size(), i + CHUNK));
          chunks.add(pool.submit(() -> chunk.forEach(rel -> create(target.resolve(rel)))));
        }
        for (Future<?> f : chunks) {
          f.get();
        }
      }
      return (System.nanoTime() - start) / 1e9;
    } catch (ExecutionException e) {
      throw new IOException("write floor: " + e.getCause().getMessage(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private static int depth(Path rel) {
    return rel.toString().isEmpty() ? 0 : rel.getNameCount();
  }

  private static void create(Path dir) {
    try {
      Files.createDirectory(dir);
      try (FileChannel out = FileChannel.open(dir.resolve("db.db"),
          StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer image = ByteBuffer.wrap(EMPTY_DB); // shared, never written to
        while (image.hasRemaining()) {
          out.write(image);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
