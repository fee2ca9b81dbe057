package io.tierdex.sample;

import java.util.Locale;

/**
 * The shape of a generated tree: every directory down to {@code depth} has
 * {@code fanout} subdirectories and {@code filesPerDir} files.
 *
 * @param fill write real (deterministic) bytes; otherwise files are sparse, which is
 *     enough for indexing and keeps million-file trees cheap
 */
public record SampleTreeSpec(int fanout, int depth, int filesPerDir, long seed, boolean fill) {

  public SampleTreeSpec {
    if (fanout < 0 || depth < 0 || filesPerDir < 0) {
      throw new IllegalArgumentException("fan-out, depth and files per directory must be >= 0");
    }
  }

  /** Named presets: demo (small, real bytes), 100k and 1m (benchmark shapes, sparse). */
  public static SampleTreeSpec preset(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "demo" -> new SampleTreeSpec(4, 3, 20, 42, true);
      case "100k" -> new SampleTreeSpec(10, 4, 9, 42, false); // 11,111 dirs, 99,999 files
      case "1m" -> new SampleTreeSpec(10, 5, 9, 42, false); // 111,111 dirs, 999,999 files
      default -> throw new IllegalArgumentException("unknown preset '" + name
          + "' (choose demo, 100k or 1m, or give --fanout/--depth/--files)");
    };
  }

  public long directories() {
    long total = 0;
    long level = 1;
    for (int d = 0; d <= depth; d++) {
      total += level;
      level *= fanout;
    }
    return total;
  }

  public long files() {
    return directories() * filesPerDir;
  }

  /** One line that identifies the tree, so a cached copy can be checked before reuse. */
  public String describe() {
    return String.format(Locale.ROOT, "fanout=%d depth=%d files=%d seed=%d fill=%b",
        fanout, depth, filesPerDir, seed, fill);
  }
}
