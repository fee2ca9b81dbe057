package io.tierdex.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state directory's lease, on real files through Hadoop's local file system: refused
 * while held, taken over once lapsed (by exactly one of many racers, and from a killed JVM),
 * renewed while its holder lives, and lost when someone else took it.
 */
class StateLeaseTest {
  static final Instant T0 = Instant.parse("2026-11-22T10:15:00Z");
  static final Duration TTL = StateLease.DEFAULT_TTL;

  @TempDir Path tmp;

  StateDir state(String name) {
    return StateDir.open(tmp.resolve(name).toString(), new Configuration());
  }

  static Clock at(Instant t) {
    return Clock.fixed(t, ZoneOffset.UTC);
  }

  static StateLease.Holder holder(StateDir state) {
    return StateLease.holder(state).orElseThrow();
  }

  static void assertMentions(String message, String... parts) {
    for (String p : parts) {
      assertTrue(message.contains(p), () -> "'" + p + "' not in: " + message);
    }
  }

  @Test
  void secondCommandIsRefusedWhileTheLeaseIsHeldAndTakesItAfterClose() {
    StateDir state = state("state");
    StateLease first = StateLease.acquire(state, "migrate --plan 20261122-101500", TTL);
    first.ensureHeld();
    StateLease.Holder h = holder(state);

    StateException refused = assertThrows(StateException.class,
        () -> StateLease.acquire(state, "migrate --plan 20261123-101500", TTL));
    assertMentions(refused.getMessage(), "'migrate --plan 20261122-101500'",
        "pid " + ProcessHandle.current().pid(), "since " + h.acquired(), "expires " + h.expires(),
        state.root().toString(), "Wait for it to finish");
    first.ensureHeld(); // a refused command takes nothing away

    first.close();
    first.close(); // idempotent
    assertNotNull(holder(state).released());
    assertThrows(StateException.class, first::ensureHeld);

    try (StateLease second = StateLease.acquire(state, "migrate --plan 20261123-101500", TTL)) {
      second.ensureHeld();
      assertEquals("migrate --plan 20261123-101500", holder(state).command());
      assertNull(holder(state).released());
    }
  }

  @Test
  void leaseLeftByAHolderThatNeverClosedIsTakenOverOnceLapsedAndNotBefore() {
    StateDir state = state("state");
    StateLease crashed = StateLease.acquire(state, "migrate --plan crashed", TTL, at(T0));

    StateException refused = assertThrows(StateException.class, () -> StateLease.acquire(state,
        "migrate --plan next", TTL, at(T0.plus(TTL).minusMillis(1))));
    assertMentions(refused.getMessage(), "'migrate --plan crashed'",
        "expires 2026-11-22T10:17:00Z", "lapses at 2026-11-22T10:17:00Z");

    try (StateLease next = StateLease.acquire(state, "migrate --plan next", TTL,
        at(T0.plus(TTL)))) {
      next.ensureHeld();
      assertEquals("migrate --plan next", holder(state).command());
      // The old holder waking up and closing must not release the new holder's lease.
      crashed.close();
      assertEquals("migrate --plan next", holder(state).command());
      assertNull(holder(state).released());
      assertMentions(assertThrows(StateException.class, () -> StateLease.acquire(state,
          "migrate --plan third", TTL, at(T0.plus(TTL)))).getMessage(), "'migrate --plan next'");
    }
  }

  @Test
  void manyRacersForOneLapsedLeaseExactlyOneWins() throws Exception {
    int racers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    try {
      for (int round = 0; round < 15; round++) {
        StateDir state = state("race-" + round);
        StateLease crashed = StateLease.acquire(state, "migrate --plan crashed", TTL, at(T0));
        CyclicBarrier start = new CyclicBarrier(racers);
        Map<String, StateLease> winners = new ConcurrentHashMap<>();
        List<String> refusals = new ArrayList<>();
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
          String command = "migrate --plan racer-" + i;
          done.add(pool.submit(() -> {
            start.await();
            try {
              winners.put(command, StateLease.acquire(state, command, TTL, at(T0.plusSeconds(3600))));
            } catch (StateException e) {
              synchronized (refusals) {
                refusals.add(e.getMessage());
              }
            }
            return null;
          }));
        }
        for (Future<?> f : done) {
          f.get(60, TimeUnit.SECONDS);
        }
        int r = round;
        assertEquals(1, winners.size(), () -> "round " + r + ": winners " + winners.keySet()
            + ", refusals " + refusals);
        String winner = winners.keySet().iterator().next();
        assertEquals(winner, holder(state).command());
        for (String refusal : refusals) {
          assertMentions(refusal, "'" + winner + "'");
        }
        winners.get(winner).ensureHeld();
        winners.get(winner).close();
        crashed.close();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Run in a second JVM: takes the lease, says so, and renews it until killed. */
  public static final class HoldingProcess {
    public static void main(String[] args) throws Exception {
      StateDir state = StateDir.open(args[0], new Configuration());
      StateLease lease = StateLease.acquire(state, "migrate --plan in-child",
          Duration.ofMillis(Long.parseLong(args[1])));
      lease.ensureHeld();
      System.out.println("held");
      System.out.flush();
      Thread.sleep(Long.MAX_VALUE);
    }
  }

  @Test
  @Timeout(120)
  void holderKilledOnThisHostIsTakenOverWithoutWaitingForItsLease() throws Exception {
    Path dir = tmp.resolve("state");
    Path err = tmp.resolve("child.err");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        HoldingProcess.class.getName(), dir.toString(), "2000")
        .redirectError(err.toFile()).start();
    try {
      BufferedReader out = new BufferedReader(
          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null && !line.equals("held")) {
        // the child's logging, if any
      }
      if (!"held".equals(line)) {
        fail("the child did not take the lease: " + read(err));
      }
      child.destroyForcibly(); // SIGKILL: no close(), no shutdown hook
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));

      StateDir state = StateDir.open(dir.toString(), new Configuration());
      StateLease.Holder h = holder(state);
      assertEquals(child.pid(), h.pid());
      assertNull(h.released());
      Instant lapses = h.expiresAt();

      // Same host, process gone: no need to wait out the ttl (the admin reruns at once).
      StateLease taken = StateLease.acquire(state, "migrate --plan next", TTL);
      Instant tookAt = Instant.now();
      assertTrue(tookAt.isBefore(lapses), "taken at " + tookAt + ", only after the dead"
          + " holder's lease lapsed at " + lapses);
      taken.ensureHeld();
      assertEquals("migrate --plan next", holder(state).command());
      assertEquals(ProcessHandle.current().pid(), holder(state).pid());
      taken.close();
    } finally {
      child.destroyForcibly();
    }
  }

  static String read(Path p) throws Exception {
    return Files.exists(p) ? Files.readString(p) : "(no stderr)";
  }

  @Test
  void renewalKeepsAShortLeaseAlivePastItsFirstExpiry() throws Exception {
    StateDir state = state("state");
    Duration ttl = Duration.ofMillis(1500);
    try (StateLease lease = StateLease.acquire(state, "migrate --plan renewed", ttl)) {
      StateLease.Holder first = holder(state);
      Thread.sleep(Duration.between(Instant.now(), first.expiresAt()).toMillis() + 1000);

      lease.ensureHeld();
      StateLease.Holder now = holder(state);
      assertEquals(first.token(), now.token());
      assertTrue(now.expiresAt().isAfter(first.expiresAt()), () -> "not renewed: " + now);
      assertEquals(first.acquired(), now.acquired());
      assertMentions(assertThrows(StateException.class,
          () -> StateLease.acquire(state, "migrate --plan other", ttl)).getMessage(),
          "'migrate --plan renewed'");
    }
  }

  @Test
  void leaseTakenOverByAnotherHolderMakesEnsureHeldThrow() throws Exception {
    StateDir state = state("state");
    // Renewed every 200 ms, always from T0: lapsed for anyone whose clock is an hour later.
    StateLease a = StateLease.acquire(state, "migrate --plan A", Duration.ofMillis(600), at(T0));
    a.ensureHeld();
    StateLease b = StateLease.acquire(state, "migrate --plan B", TTL, at(T0.plusSeconds(3600)));

    StateException lost = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (lost == null) {
      try {
        a.ensureHeld();
        assertTrue(System.nanoTime() < deadline, "A never noticed that B took its lease");
        Thread.sleep(50);
      } catch (StateException e) {
        lost = e;
      }
    }
    assertMentions(lost.getMessage(), "lost the lease", "taken over by 'migrate --plan B'");

    a.close(); // must leave B's lease alone
    assertEquals("migrate --plan B", holder(state).command());
    assertNull(holder(state).released());
    b.ensureHeld();
    b.close();
  }

  @Test
  void leaseNotRenewedBeforeItExpiresIsNotTrusted() {
    StateDir state = state("state");
    MovableClock clock = new MovableClock(T0);
    try (StateLease lease = StateLease.acquire(state, "migrate --plan stalled", TTL, clock)) {
      clock.now = T0.plus(TTL).minusMillis(1);
      lease.ensureHeld();
      clock.now = T0.plus(TTL); // its renewer (every 40 s of real time) has not run
      assertMentions(assertThrows(StateException.class, lease::ensureHeld).getMessage(),
          "expired at 2026-11-22T10:17:00Z without being renewed", "'migrate --plan stalled'");
    }
  }

  @Test
  void unreadableLeaseFileBlocksWhileRecentAndIsTakenOverOnceOld() throws Exception {
    StateDir state = state("state");
    StateLease.acquire(state, "migrate --plan cut-short", TTL).close();
    List<Path> files;
    try (var s = Files.list(tmp.resolve("state/lease"))) {
      files = s.toList();
    }
    assertEquals(1, files.size(), files::toString);
    Path file = files.get(0);
    Files.writeString(file, "{\"token\": \"4f1c"); // its writer was killed mid-write

    assertMentions(assertThrows(StateException.class,
        () -> StateLease.acquire(state, "migrate --plan next", TTL)).getMessage(),
        "lease file " + state.lease(), "is unreadable", "Retry");

    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(TTL).minusSeconds(1)));
    try (StateLease next = StateLease.acquire(state, "migrate --plan next", TTL)) {
      next.ensureHeld();
      assertEquals("migrate --plan next", holder(state).command());
    }
    if (Files.exists(file)) {
      fail("the damaged generation was not cleaned up: " + file);
    }
  }

  /** A clock a test moves by hand. */
  static final class MovableClock extends Clock {
    volatile Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
