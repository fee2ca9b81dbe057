package io.tierdex.migrate;

/**
 * A file the plan moves, as the snapshot saw it: the inode (as GUFI stores it, in decimal),
 * size and mtime/ctime in seconds are what the movers compare the file with before and after
 * the tool runs. Pools are given by name, for people, and by BeeGFS id, for the tools.
 */
public record PlannedFile(String path, String inode, long size, long mtime, long ctime,
    String fromPool, int fromPoolId, String toPool, int toPoolId) {

  /** The source pool as a reason names it: {@code fast (id 1)}. */
  String from() {
    return fromPool + " (id " + fromPoolId + ")";
  }
}
