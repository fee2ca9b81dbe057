package io.tierdex.migrate;

/** Which mover a migration uses (configuration {@code mover}). */
public enum MoverKind {
  /** Copy and rename, on any POSIX file system. */
  COPY,
  /** BeeGFS 8: {@code beegfs entry migrate}, many paths per call. */
  BEEGFS,
  /** BeeGFS 7: {@code beegfs-ctl --migrate}, one call per file. */
  BEEGFS_CTL;

  public static MoverKind parse(String s) {
    return switch (s) {
      case "copy" -> COPY;
      case "beegfs" -> BEEGFS;
      case "beegfs-ctl" -> BEEGFS_CTL;
      default -> throw new IllegalArgumentException("unknown mover '" + s
          + "'; use copy, beegfs or beegfs-ctl");
    };
  }
}
