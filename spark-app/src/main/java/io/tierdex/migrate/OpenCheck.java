package io.tierdex.migrate;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Whether another process has a file open, from a write lease: the kernel grants one only
 * when no other descriptor or mapping of the file exists, and while it is held any other
 * open waits until it is released (the opener's wait is what makes the rename safe). Where
 * leases are not available (a file system without them, or not running as the owner or
 * root) it falls back to reading {@code /proc}, which sees only this node's processes.
 */
final class OpenCheck {
  private static volatile boolean signalHandled;

  private final Posix posix;

  OpenCheck(Posix posix) {
    this.posix = posix;
    handleLeaseBreakSignal();
  }

  /**
   * A lease break is signalled with SIGIO, whose default action ends the process: a no-op
   * handler keeps the JVM alive (the break itself is read with F_GETLEASE).
   */
  private static void handleLeaseBreakSignal() {
    if (!signalHandled) {
      synchronized (OpenCheck.class) {
        if (!signalHandled) {
          sun.misc.Signal.handle(new sun.misc.Signal("IO"), s -> { });
          signalHandled = true;
        }
      }
    }
  }

  /** The lease on {@code fd}: held, refused because the file is open, or not available. */
  enum Lease { HELD, BUSY, UNAVAILABLE }

  Lease take(int fd) {
    int r = posix.fcntl(fd, Posix.F_SETLEASE, Posix.F_WRLCK);
    return r >= 0 ? Lease.HELD : r == -Posix.EAGAIN ? Lease.BUSY : Lease.UNAVAILABLE;
  }

  /** True if a writer started to open the file while the lease was held. */
  boolean writerWaiting(int fd) {
    return posix.fcntl(fd, Posix.F_GETLEASE, 0) == Posix.F_UNLCK;
  }

  /** True if anyone opened the file while the lease was held (a reader or a writer). */
  boolean openedMeanwhile(int fd) {
    return posix.fcntl(fd, Posix.F_GETLEASE, 0) != Posix.F_WRLCK;
  }

  void release(int fd) {
    posix.fcntl(fd, Posix.F_SETLEASE, Posix.F_UNLCK);
  }

  /**
   * Null if no other process of this node has {@code file} open or mapped; else who.
   * {@code self} is our own descriptor of it, skipped.
   */
  String openOnThisNode(Stat file, int self) {
    long me = ProcessHandle.current().pid();
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        boolean isMe = proc.getFileName().toString().equals(Long.toString(me));
        String who = openBy(proc, file, isMe ? self : -1);
        if (who != null) {
          return who;
        }
      }
    } catch (IOException e) {
      return "cannot read /proc to check: " + e.getMessage();
    }
    return null;
  }

  private String openBy(Path proc, Stat file, int skipFd) {
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
      for (Path fd : fds) {
        if (skipFd >= 0 && fd.getFileName().toString().equals(Integer.toString(skipFd))) {
          continue;
        }
        Stat s;
        try {
          s = posix.statFollowing(fd.toString());
        } catch (Posix.SysError e) {
          continue; // closed meanwhile, or not a file
        }
        if (s.ino() == file.ino() && s.dev() == file.dev()) {
          return "process " + proc.getFileName() + " (" + command(proc) + ")";
        }
      }
      String inode = Long.toString(file.ino());
      for (String line : Files.readAllLines(proc.resolve("maps"))) {
        String[] f = line.trim().split("\\s+", 6); // address perms offset dev inode path
        if (f.length > 4 && f[4].equals(inode)) {
          return "process " + proc.getFileName() + " (" + command(proc) + ", mapped)";
        }
      }
    } catch (IOException | RuntimeException e) {
      return null; // the process ended, or is not ours to read
    }
    return null;
  }

  private static String command(Path proc) {
    try {
      List<String> comm = Files.readAllLines(proc.resolve("comm"));
      return comm.isEmpty() ? "?" : comm.get(0);
    } catch (IOException e) {
      return "?";
    }
  }
}
