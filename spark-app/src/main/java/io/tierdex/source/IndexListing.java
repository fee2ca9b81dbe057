package io.tierdex.source;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.atomic.LongAdder;

/**
 * Finds the db.db files of an index tree, one directory per fork-join task. Directories
 * the user cannot open are skipped, as gufi_query does: that is GUFI's permission model.
 * Like gufi_query, the listing does not descend below a rolled-up directory (its db.db
 * already holds every row beneath it); only directories with subdirectories are checked.
 */
final class IndexListing {
  /** What the listing found; {@code unreadable} counts directories skipped for permissions. */
  record Result(List<DbFile> files, long unreadable) {}

  private final int minLevel;
  private final int maxLevel;
  private final ConcurrentLinkedQueue<DbFile> found = new ConcurrentLinkedQueue<>();
  private final LongAdder unreadable = new LongAdder();

  private IndexListing(int minLevel, int maxLevel) {
    this.minLevel = minLevel;
    this.maxLevel = maxLevel;
  }

  /** Lists {@code root} with {@code threads} threads; {@code root} as the user spelled it. */
  static Result list(String root, int minLevel, int maxLevel, int threads) throws IOException {
    Path top = Path.of(root);
    if (!Files.isDirectory(top)) {
      throw new IOException("gufi: index root " + root + " is not a directory");
    }
    String userRoot = trimSlashes(root);
    IndexListing listing = new IndexListing(minLevel, maxLevel);
    ForkJoinPool pool = new ForkJoinPool(Math.max(1, threads));
    try {
      pool.invoke(listing.new Visit(top, userRoot, 0));
    } finally {
      pool.shutdown();
    }
    return new Result(new ArrayList<>(listing.found), listing.unreadable.sum());
  }

  private static String trimSlashes(String root) {
    String r = root;
    while (r.length() > 1 && r.endsWith("/")) {
      r = r.substring(0, r.length() - 1);
    }
    return r;
  }

  private final class Visit extends RecursiveAction {
    private static final long serialVersionUID = 1L;
    private final transient Path dir;
    private final String userPath;
    private final int level;

    Visit(Path dir, String userPath, int level) {
      this.dir = dir;
      this.userPath = userPath;
      this.level = level;
    }

    @Override
    protected void compute() {
      List<Visit> children = new ArrayList<>();
      Path db = null;
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
        for (Path p : entries) {
          String name = p.getFileName().toString();
          BasicFileAttributes a;
          try {
            a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
          } catch (NoSuchFileException e) {
            continue;
          }
          if (name.equals("db.db") && a.isRegularFile()) {
            if (level >= minLevel) {
              found.add(new DbFile(p.toString(), userPath, level, a.size()));
              db = p;
            }
          } else if (a.isDirectory() && level < maxLevel) {
            children.add(new Visit(p, userPath + "/" + name, level + 1));
          }
        }
      } catch (IOException e) { // permission denied above all; gufi_query skips silently too
        unreadable.increment();
        return;
      }
      if (!children.isEmpty() && db != null && NativeFileRows.DirSummary.isRolledUp(db)) {
        return;
      }
      invokeAll(children);
    }
  }
}
