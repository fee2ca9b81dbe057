package io.tierdex.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The independent answer: GNU coreutils {@code stat} (which lstat()s, never follows)
 * run on one path, parsed into the fields GUFI stores.
 */
public record StatOracle(long inode, long mode, long nlink, long uid, long gid, long size, long blksize,
    long blocks, long atime, long mtime, long ctime) {

  public static StatOracle of(Path p) throws IOException, InterruptedException {
    Process proc = new ProcessBuilder("stat", "--printf",
        "%i %f %h %u %g %s %o %b %X %Y %Z", "--", p.toString()).redirectErrorStream(true).start();
    String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (proc.waitFor() != 0) {
      throw new IOException("stat " + p + ": " + out);
    }
    String[] f = out.split(" ");
    return new StatOracle(Long.parseLong(f[0]), Long.parseLong(f[1], 16), Long.parseLong(f[2]),
        Long.parseLong(f[3]), Long.parseLong(f[4]), Long.parseLong(f[5]), Long.parseLong(f[6]),
        Long.parseLong(f[7]), Long.parseLong(f[8]), Long.parseLong(f[9]), Long.parseLong(f[10]));
  }

  public boolean isDir() {
    return (mode & 0170000) == 0040000;
  }

  public boolean isFile() {
    return (mode & 0170000) == 0100000;
  }

  public boolean isLink() {
    return (mode & 0170000) == 0120000;
  }
}
