package io.tierdex.index;

import io.tierdex.gufi.GufiText;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jnr.posix.FileStat;

/**
 * One parallel walk of a source tree into an index tree, the way {@code gufi_dir2index}
 * does it: every directory is a task on a pool of worker threads; a task reads its
 * directory once, stats every entry without following links, writes the directory's
 * {@code db.db} in one go, and hands its subdirectories to the pool.
 *
 * <p>An index directory is created 0700 and takes its source directory's mode and owner
 * only when its whole subtree is written, so a read-only or foreign-owned source
 * directory never blocks writing below it, and nobody reads a half-built index.
 */
final class TreeWalk {
  private static final FileAttribute<?> DB_MODE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-rw-r--"));
  private static final FileAttribute<?> BUILD_DIR_MODE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
  private static final Set<StandardOpenOption> CREATE =
      Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
  private static final String DB_NAME = "db.db";

  private final IndexRequest request;
  private final GufiSchema schema;
  private final NativeFs fs;
  private final IndexStats stats;
  private final IndexProblems problems;
  private final boolean root;
  /** Who our new files belong to; chown is skipped when it would change nothing. */
  private final long myUid;
  /**
   * The group of our new files: our egid, or the index parent's group when it is setgid
   * (then every directory below inherits it). Read off the top index directory.
   */
  private long newGroup;
  private final ThreadLocal<Worker> workers;

  TreeWalk(IndexRequest request, GufiSchema schema, NativeFs fs, IndexStats stats,
      IndexProblems problems) {
    this.request = request;
    this.schema = schema;
    this.fs = fs;
    this.stats = stats;
    this.problems = problems;
    this.root = fs.isRoot();
    this.myUid = fs.euid();
    this.newGroup = fs.egid();
    this.workers = ThreadLocal.withInitial(this::newWorker);
  }

  /**
   * Indexes {@code source} (already known to be a directory) into the not yet existing
   * directory {@code target}, and returns once every directory below is done.
   */
  void run(Path source, EntryStat sourceStat, Path target, ForkJoinPool pool)
      throws InterruptedException {
    Dir top = new Dir(null, source.toString(), target, source.getFileName().toString(),
        sourceStat, "0", 0);
    pool.execute(new DirTask(top));
    while (!top.done.await(200, TimeUnit.MILLISECONDS)) {
      if (pool.isShutdown()) {
        throw new IllegalStateException("the indexing pool stopped before the walk finished");
      }
    }
  }

  private Worker newWorker() {
    return new Worker(new DirectoryDbWriter(schema), fs.newStat());
  }

  /** A directory in flight; {@code pending} counts itself plus unfinished subdirectories. */
  private static final class Dir {
    final Dir parent;
    final String source;
    final Path index;
    final String name;
    final EntryStat stat;
    final String parentInode;
    final int level;
    final AtomicInteger pending = new AtomicInteger(1);
    /** Counted down when this directory's whole subtree is sealed; awaited for the top. */
    final CountDownLatch done = new CountDownLatch(1);
    /** Set once its index directory exists; read by whichever thread seals it. */
    volatile boolean created;

    Dir(Dir parent, String source, Path index, String name, EntryStat stat, String parentInode,
        int level) {
      this.parent = parent;
      this.source = source;
      this.index = index;
      this.name = name;
      this.stat = stat;
      this.parentInode = parentInode;
      this.level = level;
    }
  }

  /** Per-thread state: the db.db writer and a reusable native stat buffer. */
  private record Worker(DirectoryDbWriter writer, FileStat stat) {}

  private final class DirTask extends RecursiveAction {
    private static final long serialVersionUID = 1L;
    private final transient Dir dir;

    DirTask(Dir dir) {
      this.dir = dir;
    }

    @Override
    protected void compute() {
      try {
        if (problems.fatal() == null) {
          List<Dir> children = index(dir);
          dir.pending.addAndGet(children.size());
          for (Dir child : children) {
            new DirTask(child).fork();
          }
        }
      } catch (RuntimeException e) {
        problems.report(IndexProblems.Kind.WRITE_FAILED, dir.source, String.valueOf(e));
      } finally {
        finishOne(dir);
      }
    }
  }

  /** Reads one directory, writes its db.db, and returns the subdirectories to visit. */
  private List<Dir> index(Dir dir) {
    Worker worker = workers.get();
    List<Dir> children = new ArrayList<>();
    boolean store = dir.level >= request.minLevel();
    boolean descend = dir.level < request.maxLevel();
    DirectorySummary summary = new DirectorySummary();
    String inodeText = Long.toUnsignedString(dir.stat.inode());
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of(dir.source))) {
      Files.createDirectory(dir.index, BUILD_DIR_MODE);
      dir.created = true;
      if (dir.parent == null && root) {
        newGroup = fs.groupOf(dir.index.toString(), worker.stat); // before any child is forked
      }
      for (Path path : entries) {
        String name = path.getFileName().toString();
        if (name.equals(DB_NAME)) {
          continue; // never index an index: GUFI skips entries named db.db
        }
        String full = path.toString();
        int errno = fs.lstat(full, worker.stat);
        if (errno != 0) {
          reportStatFailure(full, name, errno);
          continue;
        }
        EntryStat st = EntryStat.of(worker.stat);
        if (st.isDirectory()) {
          if (descend) {
            children.add(new Dir(dir, full, dir.index.resolve(name), name, st, inodeText,
                dir.level + 1));
          }
        } else if (st.isRegularFile() || st.isSymlink()) {
          if (store) {
            addEntry(worker.writer, summary, path, full, name, st);
          }
        } else {
          stats.specials.increment(); // FIFOs, sockets and devices are not stored
        }
      }
      if (store) {
        XattrList own = xattrs(dir.source);
        for (XattrList.Xattr x : own.attributes()) {
          worker.writer.addXattr(dir.stat.inode(), x.name(), x.value());
        }
        ByteBuffer image = worker.writer.finish(summary, GufiText.quote(dir.name), dir.stat,
            dir.parentInode, quotedNames(own));
        writeDb(dir, image);
        stats.dirs.increment();
      }
      return children;
    } catch (AccessDeniedException e) {
      problems.report(IndexProblems.Kind.UNREADABLE_DIR, dir.source, "Permission denied");
    } catch (NoSuchFileException | NotDirectoryException e) {
      problems.report(IndexProblems.Kind.VANISHED, dir.source, "directory vanished");
    } catch (IOException e) {
      problems.report(IndexProblems.Kind.WRITE_FAILED, dir.source, String.valueOf(e));
    }
    worker.writer.reset();
    return List.of();
  }

  private void addEntry(DirectoryDbWriter writer, DirectorySummary summary, Path path,
      String full, String name, EntryStat st) throws IOException {
    char type = st.isRegularFile() ? 'f' : 'l';
    String link = "";
    if (type == 'l') {
      try {
        link = GufiText.quote(Files.readSymbolicLink(path).toString());
      } catch (IOException e) {
        problems.report(IndexProblems.Kind.VANISHED, full, "link vanished");
        return;
      }
    }
    XattrList x = xattrs(full);
    writer.addEntry(GufiText.quote(name), type, st, link, x.names());
    summary.add(type, st, x.count());
    stats.nondirs.increment();
    if (type == 'f') {
      stats.bytes.add(st.size());
    }
    if (x.count() > 0 && valuesMayRollIn(st)) {
      for (XattrList.Xattr a : x.attributes()) {
        writer.addXattr(st.inode(), a.name(), a.value());
      }
    }
  }

  /**
   * Whether an entry's xattr values may be stored in its directory's db.db, which anyone
   * who can read the index directory can read: only when the entry is world-readable.
   * The names are always stored (they are in xattr_names, like GUFI).
   */
  private static boolean valuesMayRollIn(EntryStat st) {
    return (st.mode() & 0004) != 0;
  }

  private XattrList xattrs(String path) {
    if (!request.xattrs()) {
      return XattrList.NONE;
    }
    try {
      return fs.userXattrs(path);
    } catch (IOException e) {
      problems.report(IndexProblems.Kind.XATTR_FAILED, path, e.getMessage());
      return XattrList.NONE;
    }
  }

  /** GUFI quotes the summary's xattr_names as text (%q); names rarely contain a quote. */
  private static byte[] quotedNames(XattrList own) {
    byte[] names = own.names();
    for (byte b : names) {
      if (b == '\'') {
        String text = new String(names, java.nio.charset.StandardCharsets.ISO_8859_1);
        return GufiText.quote(text).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
      }
    }
    return names;
  }

  private void reportStatFailure(String full, String name, int errno) {
    if (errno == NativeFs.ENOENT && name.indexOf('\uFFFD') >= 0) {
      problems.report(IndexProblems.Kind.BAD_NAME, full, "name is not valid UTF-8");
    } else if (errno == NativeFs.ENOENT) {
      problems.report(IndexProblems.Kind.VANISHED, full, "vanished during the walk");
    } else {
      problems.report(IndexProblems.Kind.STAT_FAILED, full, fs.describe(errno));
    }
  }

  private void writeDb(Dir dir, ByteBuffer image) throws IOException {
    Path db = dir.index.resolve(DB_NAME);
    try (FileChannel out = FileChannel.open(db, CREATE, DB_MODE)) {
      while (image.hasRemaining()) {
        out.write(image);
      }
    }
    if (mustChown(dir.stat)) {
      fs.chown(db.toString(), dir.stat.uid(), dir.stat.gid());
    }
  }

  /** Marks one unit of {@code dir} done; the last one seals it and reports to its parent. */
  private void finishOne(Dir dir) {
    for (Dir d = dir; d != null; d = d.parent) {
      if (d.pending.decrementAndGet() != 0) {
        return;
      }
      seal(d);
      d.done.countDown();
    }
  }

  /** Gives a finished index directory its source directory's mode and owner. */
  private void seal(Dir d) {
    if (!d.created) {
      return; // the source could not be read: no index directory, like GUFI
    }
    try {
      if (mustChown(d.stat)) {
        fs.chown(d.index.toString(), d.stat.uid(), d.stat.gid());
      }
      fs.chmod(d.index.toString(), d.stat.mode() & 07777);
    } catch (IOException e) {
      problems.report(IndexProblems.Kind.WRITE_FAILED, d.index.toString(), e.getMessage());
    }
  }

  /** Only root can give files away; a new file already has our uid and group. */
  private boolean mustChown(EntryStat owner) {
    return root && (owner.uid() != myUid || owner.gid() != newGroup);
  }
}
