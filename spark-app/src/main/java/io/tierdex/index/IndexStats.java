package io.tierdex.index;

import java.util.concurrent.atomic.LongAdder;

/** Live counters of a walk, read by the progress line and the final summary. */
final class IndexStats {
  final LongAdder dirs = new LongAdder();
  final LongAdder nondirs = new LongAdder();
  final LongAdder specials = new LongAdder();
  final LongAdder bytes = new LongAdder();
}
