package io.tierdex.policy;

/**
 * Deals the selected files into bins in a snake order (0..n-1, then n-1..0) over the
 * files ranked by size class, largest class first: each round gives every bin one file of
 * about the same size, so bins end up even in files and close in bytes. Size classes
 * (sixteen per power of two, each within 1/16 of its lower bound) stand in for an exact
 * sort by size, which would cost a second shuffle of the whole selection.
 */
final class BinDealer {
  private static final int STEPS_BITS = 4;

  private BinDealer() {}

  /** A file's size class: larger sizes get larger classes. */
  static int sizeClass(long size) {
    if (size < (1 << STEPS_BITS)) {
      return (int) Math.max(size, 0);
    }
    int octave = 63 - Long.numberOfLeadingZeros(size);
    int step = (int) (size >>> (octave - STEPS_BITS)) & ((1 << STEPS_BITS) - 1);
    return (octave << STEPS_BITS) + step;
  }

  /** The bin of the file dealt at position {@code seq} (from 0). */
  static int bin(long seq, int bins) {
    long round = seq / bins;
    int at = (int) (seq % bins);
    return round % 2 == 0 ? at : bins - 1 - at;
  }

  /** The key of a rule's size class in the per-partition maps. */
  static long key(int rule, int sizeClass) {
    return ((long) rule << 32) | sizeClass;
  }

  static int rule(long key) {
    return (int) (key >>> 32);
  }

  static int sizeClassOf(long key) {
    return (int) key;
  }
}
