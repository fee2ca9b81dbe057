package io.tierdex.cli;

import java.nio.file.Path;

/** The --source directory as snapshot paths start with it. */
final class Sources {
  private Sources() {}

  /** Absolute and without a trailing slash; it need not exist here (it may be a cluster mount). */
  static String normalize(String source) {
    if (source == null) {
      return null;
    }
    Path p = Path.of(source);
    if (!p.isAbsolute()) {
      throw new IllegalArgumentException("--source " + source + " must be an absolute path,"
          + " the directory the index describes (e.g. /mnt/beegfs/projects)");
    }
    return p.normalize().toString();
  }
}
