package io.tierdex.migrate;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A bandwidth cap shared by every copy in one executor JVM: each copied chunk takes its
 * bytes from a budget that refills at the configured rate, so production I/O keeps the rest.
 */
final class Throttle {
  private static final ConcurrentHashMap<Long, Throttle> PER_RATE = new ConcurrentHashMap<>();
  private static final Throttle NONE = new Throttle(0);

  private final long bytesPerSecond;
  private long nextFreeNanos = System.nanoTime();

  private Throttle(long bytesPerSecond) {
    this.bytesPerSecond = bytesPerSecond;
  }

  /** The JVM's throttle for a rate; 0 means unlimited. */
  static Throttle perExecutor(long bytesPerSecond) {
    return bytesPerSecond <= 0 ? NONE
        : PER_RATE.computeIfAbsent(bytesPerSecond, Throttle::new);
  }

  /** Waits until {@code bytes} fit in the budget. */
  void take(long bytes) throws InterruptedException {
    if (bytesPerSecond <= 0) {
      return;
    }
    long wait;
    synchronized (this) {
      long now = System.nanoTime();
      long start = Math.max(now, nextFreeNanos);
      nextFreeNanos = start + bytes * 1_000_000_000L / bytesPerSecond;
      wait = start - now;
    }
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }
}
