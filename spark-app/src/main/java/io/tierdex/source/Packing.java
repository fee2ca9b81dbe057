package io.tierdex.source;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Packs many db.db files into few read tasks, balanced by bytes: largest first, each into
 * the lightest task so far. A task per file would cost Spark more than SQLite does.
 */
final class Packing {
  /** Files per task beyond which more tasks are worth their scheduling cost. */
  private static final int FILES_PER_TASK = 4096;

  private Packing() {}

  /** How many tasks for {@code files} files on {@code parallelism} cores. */
  static int tasks(int files, int parallelism) {
    int wanted = Math.max(parallelism * 3, (files + FILES_PER_TASK - 1) / FILES_PER_TASK);
    return Math.max(1, Math.min(files, wanted));
  }

  static List<List<DbFile>> pack(List<DbFile> files, int tasks) {
    List<DbFile> bySize = new ArrayList<>(files);
    bySize.sort(Comparator.comparingLong(DbFile::bytes).reversed()
        .thenComparing(DbFile::db));
    record Bin(List<DbFile> files, long[] bytes) {}
    PriorityQueue<Bin> bins = new PriorityQueue<>(Comparator.comparingLong(b -> b.bytes()[0]));
    List<Bin> all = new ArrayList<>();
    for (int i = 0; i < Math.max(1, tasks); i++) {
      Bin b = new Bin(new ArrayList<>(), new long[1]);
      bins.add(b);
      all.add(b);
    }
    for (DbFile f : bySize) {
      Bin lightest = bins.poll();
      lightest.files().add(f);
      lightest.bytes()[0] += Math.max(1, f.bytes());
      bins.add(lightest);
    }
    List<List<DbFile>> out = new ArrayList<>();
    for (Bin b : all) {
      if (!b.files().isEmpty()) {
        b.files().sort(Comparator.comparing(DbFile::db)); // neighbours on disk together
        out.add(b.files());
      }
    }
    return out;
  }
}
