package io.tierdex.migrate;

import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Moves one file to the target pool by copying it and renaming the copy over the original:
 * the path stays, the inode changes. Works on any POSIX file system; on BeeGFS the copy
 * lands on the target pool because it is created in a directory whose stripe pattern
 * selects that pool (the file's own directory after {@code beegfs entry set --pool}, or a
 * staging directory).
 *
 * <p>Every check has its own outcome, in this order: refused paths (outside the root, a
 * link in any component, hard links) FAILED; gone or no longer a regular file VANISHED;
 * not the file the plan saw SKIPPED_CHANGED; modified within min-age SKIPPED_HOT; open by
 * a process SKIPPED_OPEN; changed or opened during the copy SKIPPED_CHANGED/SKIPPED_OPEN
 * with the copy removed and the original untouched. The rename is an exchange made under
 * a write lease, so a writer that opens the file in that instant gets the original back.
 */
public final class CopyMover {
  /** Journals a file just before its copy takes its place, so a crash there is recoverable. */
  public interface SwapLog {
    void beforeSwap(PlannedFile f, String tempInode, String checksum) throws IOException;
  }

  /**
   * How to copy.
   *
   * @param root only files under it are moved, and no link below it is followed
   * @param stagingDir where copies are created (on BeeGFS: a directory whose pattern selects
   *     the target pool), or null for the file's own directory; must be on the same file
   *     system and under the root
   * @param verify re-read the original after the copy and compare checksums
   * @param fsync flush the copy to stable storage before it replaces the original
   * @param minAge files modified or changed more recently are hot and left alone
   * @param tagXattr an extended attribute set on each copy to the target pool's name
   *     (e.g. {@code user.tierdex.pool}), or null
   * @param bytesPerSecond bandwidth cap for all copies of one executor, 0 for none
   * @param beegfs the BeeGFS 8 {@code beegfs} executable whose session counts say whether
   *     a client elsewhere has a file open, or null to check this node only
   */
  public record Options(String root, String stagingDir, boolean verify, boolean fsync,
      Checksum checksum, Duration minAge, String tagXattr, long bytesPerSecond, String beegfs)
      implements Serializable {
    public Options(String root, String stagingDir, boolean verify, boolean fsync,
        Checksum checksum, Duration minAge, String tagXattr, long bytesPerSecond) {
      this(root, stagingDir, verify, fsync, checksum, minAge, tagXattr, bytesPerSecond, null);
    }
  }

  static final int CHUNK = 8 << 20;
  /** Files up to this size are copied through a buffer, read, summed and written in cache. */
  static final int THROUGH = 1 << 20;
  private static final ThreadLocal<ByteBuffer> BUFFER =
      ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(CHUNK));

  private final Options options;
  private final Clock clock;
  private final Posix posix = Posix.get();
  private final OpenCheck openCheck = new OpenCheck(posix);
  private final Throttle throttle;
  private final BeegfsSessions sessions;
  private final String root;
  /** Tests only: runs after the copy, before the last checks (to change things there). */
  volatile Runnable beforeFinalChecks = () -> { };

  public CopyMover(Options options, Clock clock) {
    this.options = options;
    this.clock = clock;
    this.throttle = Throttle.perExecutor(options.bytesPerSecond());
    this.sessions = options.beegfs() == null ? null : new BeegfsSessions(options.beegfs());
    this.root = options.root().endsWith("/") && options.root().length() > 1
        ? options.root().substring(0, options.root().length() - 1) : options.root();
  }

  /** The copy's name: fixed per planned file, so a rerun finds a stale one. */
  public static String tempName(PlannedFile f) {
    return ".tierdex-migrating." + f.inode();
  }

  /** Thrown for a file with its outcome, out of any depth of the steps below. */
  private static final class Stop extends Exception {
    final MoveResult result;
    /** Leave the temporary file: it holds data someone may have written. */
    final boolean keepTemp;

    Stop(MoveResult result) {
      this(result, false);
    }

    Stop(MoveResult result, boolean keepTemp) {
      super(null, null, false, false);
      this.result = result;
      this.keepTemp = keepTemp;
    }
  }

  private static Stop stop(PlannedFile f, MoveOutcome outcome, String reason) {
    return new Stop(new MoveResult(f.path(), outcome, reason));
  }

  /** Directories kept open between the files one thread moves; close it when done. */
  public OpenDirs openDirs() {
    return new OpenDirs(posix, root);
  }

  /** Moves {@code f}; never throws for a file problem, only when interrupted. */
  public MoveResult move(PlannedFile f, SwapLog log) throws InterruptedException {
    try (OpenDirs dirs = openDirs()) {
      return move(f, log, dirs);
    }
  }

  /** Moves {@code f} with the directories this thread has open. */
  public MoveResult move(PlannedFile f, SwapLog log, OpenDirs dirs)
      throws InterruptedException {
    try {
      return moveChecked(f, log, dirs);
    } catch (Stop s) {
      return s.result;
    } catch (Posix.SysError e) {
      return MoveResult.failed(f.path(), failure(e));
    } catch (IOException e) {
      return MoveResult.failed(f.path(), e.getMessage());
    }
  }

  private MoveResult moveChecked(PlannedFile f, SwapLog log, OpenDirs dirs)
      throws Stop, IOException, InterruptedException {
    Located at = locate(f, dirs);
    Stat s = checkSource(f, at.dir, at.name);
    int src = openSource(f, at.dir, at.name);
    try {
      Stat opened = posix.fstat(src, f.path());
      if (opened.ino() != s.ino()) {
        throw stop(f, MoveOutcome.SKIPPED_CHANGED, "replaced while it was being checked");
      }
      notOpen(f, src, opened);
      return copyAndSwap(f, log, dirs, at.dir, at.name, src, opened);
    } finally {
      posix.close(src);
    }
  }

  private record Located(SafeDir dir, String name) {}

  private Located locate(PlannedFile f, OpenDirs dirs) throws Stop, Posix.SysError {
    String path = f.path();
    int slash = path.lastIndexOf('/');
    String name = path.substring(slash + 1);
    SafeDir same = dirs.cached(path.substring(0, Math.max(0, slash)));
    if (same != null && !name.isEmpty() && !name.equals(".") && !name.equals("..")) {
      return new Located(same, name); // the directory of the file before: checked then
    }
    try {
      List<String> parts = SafeDir.relative(root, path);
      return new Located(dirs.open(parts.subList(0, parts.size() - 1),
          path.substring(0, slash)), name);
    } catch (SafeDir.Refused e) {
      throw stop(f, MoveOutcome.FAILED, e.getMessage());
    } catch (Posix.SysError e) {
      if (e.errno == Posix.ENOENT) {
        throw stop(f, MoveOutcome.VANISHED, "its directory no longer exists");
      }
      throw e;
    }
  }

  private Stat checkSource(PlannedFile f, SafeDir dir, String name)
      throws Stop, Posix.SysError {
    Stat s;
    try {
      s = posix.statAt(dir.fd, name, f.path());
    } catch (Posix.SysError e) {
      if (e.errno == Posix.ENOENT) {
        throw stop(f, MoveOutcome.VANISHED, "no longer exists");
      }
      throw e;
    }
    if (s.isSymlink()) {
      throw stop(f, MoveOutcome.FAILED, "is a symbolic link now; links are never followed");
    }
    if (!s.isRegular()) {
      throw stop(f, MoveOutcome.VANISHED, "is " + s.type() + " now, not a regular file");
    }
    if (s.nlink() > 1) {
      throw stop(f, MoveOutcome.FAILED, "has " + s.nlink() + " hard links; a copy would"
          + " split them, so hard-linked files are never moved");
    }
    String drift = drift(f, s);
    if (drift != null) {
      throw stop(f, MoveOutcome.SKIPPED_CHANGED, "changed since it was planned (" + drift
          + ")");
    }
    long newest = clock.instant().minus(options.minAge()).getEpochSecond();
    if (s.mtime() > newest || s.ctime() > newest) {
      throw stop(f, MoveOutcome.SKIPPED_HOT, "modified within min-age "
          + options.minAge().toString().substring(2).toLowerCase() + " (mtime " + s.mtime()
          + ", ctime " + s.ctime() + ")");
    }
    return s;
  }

  private static String drift(PlannedFile f, Stat s) {
    StringBuilder d = new StringBuilder();
    if (f.inode() != null && !f.inode().equals(Long.toUnsignedString(s.ino()))) {
      d.append("inode ").append(f.inode()).append(" -> ").append(Long.toUnsignedString(s.ino()));
    }
    change(d, "size", f.size(), s.size());
    change(d, "mtime", f.mtime(), s.mtime());
    change(d, "ctime", f.ctime(), s.ctime());
    return d.isEmpty() ? null : d.toString();
  }

  private static void change(StringBuilder d, String what, long planned, long now) {
    if (planned != now) {
      d.append(d.isEmpty() ? "" : ", ").append(what).append(' ').append(planned)
          .append(" -> ").append(now);
    }
  }

  private int openSource(PlannedFile f, SafeDir dir, String name) throws Stop, Posix.SysError {
    int flags = Posix.O_RDONLY | Posix.O_NOFOLLOW;
    try {
      try {
        return posix.openat(dir.fd, name, flags | Posix.O_NOATIME, 0, f.path());
      } catch (Posix.SysError e) {
        if (e.errno != Posix.EPERM) {
          throw e;
        }
        return posix.openat(dir.fd, name, flags, 0, f.path()); // not the owner, not root
      }
    } catch (Posix.SysError e) {
      if (e.errno == Posix.ENOENT) {
        throw stop(f, MoveOutcome.VANISHED, "no longer exists");
      }
      if (e.errno == Posix.ELOOP) {
        throw stop(f, MoveOutcome.FAILED, "is a symbolic link now; links are never followed");
      }
      throw e;
    }
  }

  private void notOpen(PlannedFile f, int src, Stat s) throws Stop {
    switch (openCheck.take(src)) {
      case HELD -> openCheck.release(src);
      case BUSY -> throw stop(f, MoveOutcome.SKIPPED_OPEN, "open by another process");
      case UNAVAILABLE -> {
        String who = openCheck.openOnThisNode(s, src);
        if (who != null) {
          throw stop(f, MoveOutcome.SKIPPED_OPEN, "open by " + who);
        }
      }
    }
    openElsewhere(f, "");
  }

  /** The cluster-wide check, where BeeGFS 8 can tell: our own read session not counted. */
  private void openElsewhere(PlannedFile f, String when) throws Stop {
    if (sessions == null) {
      return;
    }
    String who;
    try {
      who = sessions.openBy(f.path(), 1);
    } catch (IOException e) {
      throw stop(f, MoveOutcome.FAILED, "cannot tell whether a BeeGFS client has it open ("
          + e.getMessage() + "); left untouched" + when);
    }
    if (who != null) {
      throw stop(f, MoveOutcome.SKIPPED_OPEN, "open on BeeGFS: " + who + when);
    }
  }

  private MoveResult copyAndSwap(PlannedFile f, SwapLog log, OpenDirs dirs, SafeDir dir,
      String name, int src, Stat s) throws Stop, IOException, InterruptedException {
    SafeDir staging = options.stagingDir() == null ? null : staging(f, dirs);
    int tmpDir = staging == null ? dir.fd : staging.fd;
    String tmpName = tempName(f);
    int tmp = createTemp(f, tmpDir, tmpName);
    long tmpIno = -1;
    boolean swapped = false;
    try {
      tmpIno = posix.fstat(tmp, tmpName).ino();
      String sum = copy(f, src, tmp, s.size());
      if (options.fsync()) {
        posix.fsync(tmp, "the copy of " + f.path());
      }
      copyMetadata(f, src, tmp, s);
      if (options.verify() && options.checksum() != Checksum.NONE) {
        verify(f, src, sum);
      }
      beforeFinalChecks.run();
      String stagingMoved = staging == null ? null : staging.stillThere();
      if (stagingMoved != null) {
        dirs.stale(staging);
        throw stop(f, MoveOutcome.FAILED, "staging directory: " + stagingMoved
            + "; nothing moved");
      }
      try {
        swapped = swap(f, log, dirs, dir, name, src, s, tmp, tmpDir, tmpName, tmpIno, sum);
      } catch (Stop st) {
        swapped = st.keepTemp;
        throw st;
      }
      return MoveResult.migrated(f.path(), Long.toUnsignedString(tmpIno), sum);
    } finally {
      posix.close(tmp);
      if (!swapped) {
        removeTemp(tmpDir, tmpName, tmpIno);
      }
    }
  }

  private SafeDir staging(PlannedFile f, OpenDirs dirs) throws Stop, Posix.SysError {
    try {
      List<String> parts = SafeDir.relative(root, options.stagingDir() + "/x");
      return dirs.staging(parts.subList(0, parts.size() - 1));
    } catch (SafeDir.Refused e) {
      throw stop(f, MoveOutcome.FAILED, "staging directory " + options.stagingDir() + ": "
          + e.getMessage());
    }
  }

  /** Creates the copy exclusively, never through a link; a stale one from a crash goes. */
  private int createTemp(PlannedFile f, int tmpDir, String tmpName) throws Posix.SysError {
    int flags = Posix.O_WRONLY | Posix.O_CREAT | Posix.O_EXCL | Posix.O_NOFOLLOW;
    try {
      return posix.openat(tmpDir, tmpName, flags, 0600, tmpName + " for " + f.path());
    } catch (Posix.SysError e) {
      if (e.errno != Posix.EEXIST) {
        throw e;
      }
      posix.unlink(tmpDir, tmpName); // left by a crashed attempt; the journal said not done
      return posix.openat(tmpDir, tmpName, flags, 0600, tmpName + " for " + f.path());
    }
  }

  /** Removes our copy: only if the name still holds the inode we created. */
  private void removeTemp(int tmpDir, String tmpName, long tmpIno) {
    if (tmpIno < 0) {
      return;
    }
    try {
      if (posix.statAt(tmpDir, tmpName, tmpName).ino() == tmpIno) {
        posix.unlink(tmpDir, tmpName);
      }
    } catch (Posix.SysError e) {
      // already gone
    }
  }

  /**
   * Copies the {@code size} bytes the file had when it was opened. Never reads past that
   * size: a file that grows as fast as it is copied would keep the copy going for as long as
   * it grows (growth shows in the last checks).
   *
   * <p>A file of up to {@link #THROUGH} bytes goes through a buffer: read, checksummed while
   * in the CPU cache, written; two calls. A larger one is copied in the kernel
   * ({@code copy_file_range}: one memory copy, as cp makes) and each chunk's checksum is
   * computed from the copy itself, mapped into memory: what landed is what is summed, at no
   * second copy.
   */
  private String copy(PlannedFile f, int src, int tmp, long size)
      throws Stop, IOException, InterruptedException {
    Checksum.Sum sum = options.checksum().start();
    long done = 0;
    boolean kernel = size > THROUGH || options.checksum() == Checksum.NONE;
    ByteBuffer buf = BUFFER.get();
    CopyView opened = null;
    if (kernel && options.checksum() != Checksum.NONE) {
      try {
        opened = new CopyView(tmp);
      } catch (IOException e) {
        kernel = false; // no /proc to map the copy through: sum through the buffer
      }
    }
    try (CopyView view = opened) {
      while (done < size) {
        long n;
        if (kernel) {
          try {
            n = posix.copyFileRange(src, tmp, Math.min(CHUNK, size - done), f.path());
          } catch (Posix.SysError e) {
            if (e.errno != Posix.EXDEV && e.errno != Posix.EINVAL
                && e.errno != Posix.EOPNOTSUPP && e.errno != Posix.ENOSYS) {
              throw e;
            }
            kernel = false;
            continue;
          }
          if (view != null && n > 0) {
            view.sum(done, n, sum);
          }
        } else {
          buf.clear().limit((int) Math.min(THROUGH, size - done));
          n = posix.pread(src, buf, done, f.path());
          buf.flip();
          sum.update(buf.duplicate());
          posix.writeFully(tmp, buf, "the copy of " + f.path());
        }
        if (n == 0) {
          break;
        }
        // The bytes copied, not the chunk asked for: a small file costs its size.
        throttle.take(n);
        done += n;
        if (Thread.interrupted()) {
          throw new InterruptedException("stopped while copying " + f.path());
        }
      }
    }
    if (done != size) {
      throw stop(f, MoveOutcome.SKIPPED_CHANGED, "size changed during the copy (" + size
          + " -> " + done + " bytes read); copy removed, original untouched");
    }
    return sum.value();
  }

  private void verify(PlannedFile f, int src, String copied) throws Stop, Posix.SysError {
    Checksum.Sum sum = options.checksum().start();
    ByteBuffer buf = BUFFER.get();
    long at = 0;
    while (true) {
      buf.clear();
      int n = posix.pread(src, buf, at, f.path());
      if (n == 0) {
        break;
      }
      buf.flip();
      sum.update(buf);
      at += n;
    }
    if (!sum.value().equals(copied)) {
      throw stop(f, MoveOutcome.SKIPPED_CHANGED, "the original's content changed during the"
          + " copy (checksum " + sum.value() + " now, " + copied + " copied); copy removed");
    }
  }

  /**
   * Owner, mode, exactly the original's extended attributes (ACLs included), then times,
   * which go last.
   */
  private void copyMetadata(PlannedFile f, int src, int tmp, Stat s) throws Posix.SysError {
    String what = "the copy of " + f.path();
    posix.fchown(tmp, s.uid(), s.gid(), what);
    byte[][] names = posix.xattrNames(src, f.path());
    Set<String> original = new HashSet<>();
    for (byte[] name : names) {
      original.add(Posix.nameOf(name));
    }
    for (byte[] name : posix.xattrNames(tmp, what)) {
      if (!original.contains(Posix.nameOf(name))) {
        // inherited at create (a directory's default ACL): it would give others access
        posix.removeXattr(tmp, name, what);
      }
    }
    posix.fchmod(tmp, s.permissions(), what); // after chown, which clears setuid/setgid
    for (byte[] name : names) {
      byte[] value = posix.xattr(src, name, f.path());
      if (value != null) {
        posix.setXattr(tmp, name, value, what);
      }
    }
    if (options.tagXattr() != null) {
      posix.setXattr(tmp, Posix.cName(options.tagXattr()),
          f.toPool().getBytes(StandardCharsets.UTF_8), what);
    }
    posix.futimens(tmp, s, what);
  }

  /**
   * The last checks and the swap, under a write lease on the original: no other process
   * has it open, it is unchanged since it was opened, its name and directory are the ones
   * checked. Returns true once the copy holds the path.
   */
  private boolean swap(PlannedFile f, SwapLog log, OpenDirs dirs, SafeDir dir, String name,
      int src, Stat s, int tmp, int tmpDir, String tmpName, long tmpIno, String sum)
      throws Stop, IOException {
    OpenCheck.Lease lease = openCheck.take(src);
    // A lease on the copy too: whoever opens it through the path after the exchange waits,
    // and is seen.
    OpenCheck.Lease copyLease = OpenCheck.Lease.UNAVAILABLE;
    if (lease == OpenCheck.Lease.BUSY) {
      throw stop(f, MoveOutcome.SKIPPED_OPEN, "opened by another process during the copy;"
          + " copy removed, original untouched");
    }
    try {
      if (lease == OpenCheck.Lease.UNAVAILABLE) {
        String who = openCheck.openOnThisNode(s, src);
        if (who != null) {
          throw stop(f, MoveOutcome.SKIPPED_OPEN, "opened by " + who + " during the copy;"
              + " copy removed, original untouched");
        }
      }
      Stat now = posix.fstat(src, f.path());
      if (!now.sameAs(s)) {
        throw stop(f, MoveOutcome.SKIPPED_CHANGED, "changed during the copy (size " + s.size()
            + " -> " + now.size() + ", mtime " + s.mtime() + "." + s.mtimeNanos() + " -> "
            + now.mtime() + "." + now.mtimeNanos() + ", ctime " + s.ctime() + "."
            + s.ctimeNanos() + " -> " + now.ctime() + "." + now.ctimeNanos() + "); copy removed,"
            + " original untouched");
      }
      Stat atPath;
      try {
        atPath = posix.statAt(dir.fd, name, f.path());
      } catch (Posix.SysError e) {
        throw stop(f, MoveOutcome.VANISHED, "removed or renamed during the copy");
      }
      if (atPath.ino() != s.ino()) {
        throw stop(f, MoveOutcome.SKIPPED_CHANGED, "replaced during the copy; copy removed");
      }
      String swappedDir = dir.stillThere();
      if (swappedDir != null) {
        dirs.stale(dir);
        throw stop(f, MoveOutcome.FAILED, swappedDir + "; nothing moved");
      }
      if (!Long.toUnsignedString(tmpIno).equals(tempLeft(tmpDir, tmpName))) {
        throw stop(f, MoveOutcome.FAILED, "its copy " + tmpName + " was replaced by another"
            + " process (a second mover on this file?); nothing moved");
      }
      openElsewhere(f, " during the copy; copy removed, original untouched");
      if (lease == OpenCheck.Lease.HELD) {
        copyLease = openCheck.take(tmp);
        if (copyLease == OpenCheck.Lease.BUSY) {
          throw stop(f, MoveOutcome.FAILED, "another process opened the copy " + tmpName
              + "; copy removed, original untouched");
        }
      }
      log.beforeSwap(f, Long.toUnsignedString(tmpIno), sum);
      int rc = posix.rename(tmpDir, tmpName, dir.fd, name, Posix.RENAME_EXCHANGE);
      if (rc == Posix.EINVAL || rc == Posix.ENOSYS || rc == Posix.EOPNOTSUPP) {
        rc = posix.rename(tmpDir, tmpName, dir.fd, name, 0); // no exchange on this FS
        if (rc != 0) {
          throw new Posix.SysError(rc, "rename the copy over " + f.path() + ": "
              + posix.describe(rc));
        }
        return true;
      }
      if (rc != 0) {
        throw new Posix.SysError(rc, "rename the copy over " + f.path() + ": "
            + posix.describe(rc));
      }
      if (lease == OpenCheck.Lease.HELD && openCheck.writerWaiting(src)) {
        // A writer resolved the old file just before the exchange: give it back.
        boolean copyOpened = copyLease == OpenCheck.Lease.HELD
            && openCheck.openedMeanwhile(tmp);
        if (posix.rename(tmpDir, tmpName, dir.fd, name, Posix.RENAME_EXCHANGE) == 0) {
          if (copyOpened) {
            // Another process opened the copy through the path: it may write there too.
            throw new Stop(MoveResult.failed(f.path(), "two processes opened it as the copy"
                + " replaced it; original put back at the path, the copy (which the second"
                + " may have written to) left as " + tmpName + " for you to compare"), true);
          }
          throw stop(f, MoveOutcome.SKIPPED_OPEN, "a writer opened it as the copy replaced it;"
              + " original put back, copy removed");
        }
      }
      posix.unlink(tmpDir, tmpName); // the original, now under the temporary name
      return true;
    } finally {
      if (copyLease == OpenCheck.Lease.HELD) {
        openCheck.release(tmp);
      }
      if (lease == OpenCheck.Lease.HELD) {
        openCheck.release(src);
      }
    }
  }

  /**
   * Settles a file whose swap was journaled but whose outcome was not: the copy holds the
   * path (MIGRATED), the original still does (null: move it again), or neither (changed).
   * Whatever temporary name is left goes.
   */
  public MoveResult recover(PlannedFile f, String tempInode, String checksum)
      throws InterruptedException {
    try (OpenDirs dirs = openDirs()) {
      Located at = locate(f, dirs);
      SafeDir dir = at.dir;
      SafeDir staging = options.stagingDir() == null ? null : staging(f, dirs);
      int tmpDir = staging == null ? dir.fd : staging.fd;
      String tmpName = tempName(f);
      String now;
      try {
        now = Long.toUnsignedString(posix.statAt(dir.fd, at.name, f.path()).ino());
      } catch (Posix.SysError e) {
        now = null;
      }
      String left = tempLeft(tmpDir, tmpName);
      boolean done = tempInode.equals(now);
      if (left != null && (left.equals(tempInode) ? !done : done && left.equals(f.inode()))) {
        posix.unlink(tmpDir, tmpName); // our unused copy, or the original the copy replaced
      } else if (left != null && left.equals(f.inode())) {
        return MoveResult.failed(f.path(), "the original is at " + tmpName + " and the path"
            + " holds another file; left both for you to settle");
      }
      if (tempInode.equals(now)) {
        return MoveResult.migrated(f.path(), tempInode, checksum);
      }
      if (f.inode().equals(now)) {
        return null;
      }
      return now == null ? new MoveResult(f.path(), MoveOutcome.VANISHED, "no longer exists")
          : new MoveResult(f.path(), MoveOutcome.SKIPPED_CHANGED,
              "replaced by another file while a crashed attempt was moving it");
    } catch (Stop s) {
      return s.result;
    } catch (IOException e) {
      return MoveResult.failed(f.path(), e.getMessage());
    }
  }

  private String tempLeft(int tmpDir, String tmpName) {
    try {
      return Long.toUnsignedString(posix.statAt(tmpDir, tmpName, tmpName).ino());
    } catch (Posix.SysError e) {
      return null;
    }
  }

  private String failure(Posix.SysError e) {
    if (e.errno == Posix.ENOSPC || e.errno == Posix.EDQUOT) {
      return "target file system full (" + (e.errno == Posix.ENOSPC ? "ENOSPC" : "EDQUOT")
          + "): " + e.getMessage() + "; copy removed, original untouched";
    }
    return e.getMessage();
  }
}
