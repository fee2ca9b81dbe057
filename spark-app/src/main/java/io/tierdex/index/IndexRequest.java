package io.tierdex.index;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code tierdex index} was asked to do, validated by the command line.
 *
 * @param sources source directories; each becomes {@code indexParent/<basename>}
 * @param minLevel directories shallower than this get an index directory but no db.db
 * @param maxLevel directories deeper than this are not visited (the root is level 0)
 * @param strict stop at the first problem instead of skipping and reporting it
 */
public record IndexRequest(List<Path> sources, Path indexParent, int threads, int minLevel,
    int maxLevel, boolean xattrs, boolean strict) {

  public IndexRequest {
    sources = List.copyOf(sources);
    if (threads < 1) {
      throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
    }
    if (minLevel < 0 || maxLevel < minLevel) {
      throw new IllegalArgumentException("need 0 <= --min-level <= --max-level, got "
          + minLevel + " and " + maxLevel);
    }
  }

  /** A plain request: every level, no xattrs, problems skipped and reported. */
  public static IndexRequest of(List<Path> sources, Path indexParent, int threads) {
    return new IndexRequest(sources, indexParent, threads, 0, Integer.MAX_VALUE, false, false);
  }
}
