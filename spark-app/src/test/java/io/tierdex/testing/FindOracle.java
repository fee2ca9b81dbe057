package io.tierdex.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The independent answer for queries: GNU find lstat()ing every entry of a source tree.
 * {@code rel} is the path below the root ("" for the root itself), {@code type} is
 * find's %y letter (f, d, l, p...), times are whole seconds.
 */
public record FindOracle(String rel, char type, long uid, long gid, long size, long mtime,
    long mode, String symbolicMode) {

  public static List<FindOracle> walk(Path root) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("find", root.toString(), "-printf",
        "%y %U %G %s %T@ %#m %M %P\\0").start();
    byte[] out = p.getInputStream().readAllBytes();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException("find " + root + ": " + err);
    }
    List<FindOracle> all = new ArrayList<>();
    for (String rec : new String(out, StandardCharsets.UTF_8).split("\0")) {
      if (rec.isEmpty()) {
        continue;
      }
      String[] f = rec.split(" ", 8);
      all.add(new FindOracle(f[7], f[0].charAt(0), Long.parseLong(f[1]), Long.parseLong(f[2]),
          Long.parseLong(f[3]), (long) Math.floor(Double.parseDouble(f[4])),
          Long.parseLong(f[5], 8), f[6]));
    }
    return all;
  }

  /** The directory part of rel ("" at the top). */
  public String dir() {
    int slash = rel.lastIndexOf('/');
    return slash < 0 ? "" : rel.substring(0, slash);
  }

  public String name() {
    return rel.substring(rel.lastIndexOf('/') + 1);
  }

  /** Depth of the entry's directory below the root. */
  public int dirLevel() {
    return dir().isEmpty() ? 0 : dir().split("/").length;
  }

  public boolean stored() {
    return type == 'f' || type == 'l';
  }
}
