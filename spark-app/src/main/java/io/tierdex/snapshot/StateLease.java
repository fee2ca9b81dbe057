package io.tierdex.snapshot;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The lease that lets one tierdex command at a time work on a state directory: taken before
 * the first irreversible step, checked ({@link #ensureHeld()}) before each one, renewed in the
 * background, released on {@link #close()}. A holder that dies without releasing it (killed,
 * its host down) leaves a lease that lapses when its time runs out; the next command then
 * takes it over.
 *
 * <p>The lease lives in {@code lease/} as one small JSON file per generation,
 * {@code lease/<n>.json}; the highest {@code n} is the lease, and its file names the holder.
 * Taking the lease means creating the next generation's file, which fails if the file exists:
 * of any number of processes racing for a lapsed lease, exactly one creates it. Each holder
 * writes only its own file, so taking over never touches a file another process may still
 * be writing. (Renaming a single lapsed lease file aside and creating a new one in its place
 * does not have that property: a racer slowed between reading the lapsed lease and renaming
 * it moves the winner's new lease aside instead.) A released lease keeps its file, marked
 * released: generation numbers must never repeat, or a racer that saw an older generation
 * could create a "newer" one beside a lease that started again from 1.
 *
 * <p>A holder trusts its lease only until the expiry it last wrote, and a lease is taken over
 * only after that expiry, so two processes never both believe they hold it, provided the
 * clocks of the hosts sharing a state directory agree to well within the ttl (NTP does).
 */
public final class StateLease implements AutoCloseable {
  /** How long a lease lasts unless renewed; it is renewed every third of that. */
  public static final Duration DEFAULT_TTL = Duration.ofMinutes(2);

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES); // newer tierdex, more fields
  private static final Pattern GENERATION_FILE = Pattern.compile("(\\d{1,18})\\.json");
  /** Rounds of "look, then create the next generation" before giving up under contention. */
  private static final int ATTEMPTS = 50;
  /** How long a lease file may read as incomplete (being written) before it counts as damaged. */
  private static final Duration WRITE_SETTLES = Duration.ofSeconds(1);

  /**
   * A lease file's content; times are ISO-8601 instants.
   *
   * @param token random, one per acquisition: tells this holder's file from any other
   * @param command what the holder runs, e.g. {@code migrate --plan 20261122-101500}
   * @param released when the holder released it; null while held, or if the holder died
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Holder(String token, String host, long pid, String command, String acquired,
      String renewed, String expires, String released) {
    Instant expiresAt() {
      return Instant.parse(expires);
    }

    boolean heldAt(Instant now) {
      return released == null && now.isBefore(expiresAt());
    }

    Holder renewedAt(Instant now, Duration ttl) {
      return new Holder(token, host, pid, command, acquired, now.toString(),
          now.plus(ttl).toString(), null);
    }

    Holder releasedAt(Instant now) {
      return new Holder(token, host, pid, command, acquired, renewed, now.toString(),
          now.toString());
    }

    String describe() {
      return "'" + command + "' (pid " + pid + " on " + host + (released != null
          ? ", held it from " + acquired + " until it released it at " + released
          : ", holding it since " + acquired + ", last renewed " + renewed + ", expires "
              + expires) + ")";
    }
  }

  private final StateDir state;
  private final String command;
  private final Path file;
  private final long generation;
  private final Duration ttl;
  private final Clock clock;
  private final ScheduledExecutorService renewer;
  private final Object lock = new Object();
  private Holder mine; // guarded by lock
  private volatile Instant expires; // what mine says: trusted until then, never after
  private volatile String lost; // why it was lost, or null
  private volatile String renewFailure; // the last renewal's error, or null
  private volatile boolean closed;

  private StateLease(StateDir state, Path file, long generation, Holder mine, Duration ttl,
      Clock clock) {
    this.state = state;
    this.command = mine.command();
    this.file = file;
    this.generation = generation;
    this.mine = mine;
    this.expires = mine.expiresAt();
    this.ttl = ttl;
    this.clock = clock;
    this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tierdex-lease-renewer " + file);
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Takes the lease on {@code state} for {@code command} (what a user would recognise, e.g.
   * {@code migrate --plan 20261122-101500}), or throws a StateException naming the holder
   * (command, pid, host, since when, when it expires) and what to do.
   */
  public static StateLease acquire(StateDir state, String command, Duration ttl) {
    return acquire(state, command, ttl, Clock.systemUTC());
  }

  static StateLease acquire(StateDir state, String command, Duration ttl, Clock clock) {
    if (command == null || command.isBlank()) {
      throw new IllegalArgumentException("a lease needs the command that holds it");
    }
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("a lease's ttl must be positive, not " + ttl);
    }
    FileSystem fs = state.fileSystem();
    Path dir = state.lease();
    String token = UUID.randomUUID().toString();
    String host = host();
    try {
      if (!fs.mkdirs(dir)) {
        throw new StateException("cannot create " + dir + " (is the state directory writable?)");
      }
      for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
        List<Long> generations = generations(fs, dir);
        long next = 1;
        if (!generations.isEmpty()) {
          long top = generations.get(generations.size() - 1);
          Path current = file(dir, top);
          try {
            Optional<Holder> holder = readSettled(fs, current);
            if (holder.isEmpty()) {
              continue; // deleted since we listed, so a newer generation exists: look again
            }
            if (holder.get().heldAt(clock.instant()) && !diedHere(holder.get(), host)) {
              throw inUse(state, current, holder.get());
            }
          } catch (Unreadable e) {
            if (!abandoned(fs, current, e, clock, ttl, state)) {
              continue; // deleted since we listed: look again
            }
          }
          next = top + 1;
        }
        Instant now = clock.instant();
        Holder h = new Holder(token, host, ProcessHandle.current().pid(), command,
            now.toString(), now.toString(), now.plus(ttl).toString(), null);
        Path candidate = file(dir, next);
        if (!createExclusive(fs, candidate, JSON.writeValueAsBytes(h))) {
          continue; // another process took this generation first: look at what it holds
        }
        if (highest(fs, dir) > next) {
          // We looked before a newer generation was taken (and ours cleaned up): we lost.
          fs.delete(candidate, false);
          continue;
        }
        StateLease lease = new StateLease(state, candidate, next, h, ttl, clock);
        lease.deleteOlderGenerations();
        lease.startRenewing();
        return lease;
      }
      throw new StateException("cannot take the lease in " + dir + ": other commands took it "
          + ATTEMPTS + " times while this one tried; retry when they are done");
    } catch (IOException e) {
      throw new StateException("cannot take the lease in " + dir + ": " + e.getMessage()
          + " (is the state directory writable?)", e);
    }
  }

  /**
   * Throws a StateException unless this process still holds the lease: it was taken over,
   * released, or not renewed in time (then another command may take it any moment). Callers
   * check before each irreversible step. Cheap: it reads no file; the renewer does.
   */
  public void ensureHeld() {
    String holder = "'" + command + "'";
    if (closed) {
      throw new StateException("the lease of " + holder + " on state directory " + state.root()
          + " was released; take it again before changing anything");
    }
    String why = lost;
    if (why != null) {
      throw new StateException("lost the lease on state directory " + state.root() + ": " + why
          + ". " + holder + " stops here so that two commands never work on it at once;"
          + " let the other one finish, then rerun");
    }
    Instant until = expires;
    if (!clock.instant().isBefore(until)) {
      String failure = renewFailure;
      throw new StateException("the lease of " + holder + " on state directory " + state.root()
          + " expired at " + until + " without being renewed ("
          + (failure == null ? "this process was stalled" : "renewing failed: " + failure)
          + "), so another command may take it now; " + holder + " stops here. Check that "
          + file + " is writable, then rerun");
    }
  }

  /** Stops renewing and releases the lease if it is still this process's. Idempotent. */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      renewer.shutdown(); // cancels the next renewal; none runs now, we hold the lock
      if (lost != null) {
        return;
      }
      try {
        if (takenBy() == null) {
          overwrite(state.fileSystem(), file, mine.releasedAt(clock.instant()));
        }
      } catch (IOException e) {
        System.err.println("WARN cannot release the lease " + file + ": " + e.getMessage()
            + "; it lapses by itself at " + expires);
      }
    }
  }

  /** The newest lease on {@code state} (held, released or lapsed), or empty if none was taken. */
  static Optional<Holder> holder(StateDir state) {
    FileSystem fs = state.fileSystem();
    try {
      long top = highest(fs, state.lease());
      return top == 0 ? Optional.empty() : readSettled(fs, file(state.lease(), top));
    } catch (Unreadable e) {
      throw new StateException("lease file in " + state.lease() + " is unreadable: "
          + e.getMessage(), e);
    } catch (IOException e) {
      throw new StateException("cannot read the lease in " + state.lease() + ": "
          + e.getMessage(), e);
    }
  }

  private void startRenewing() {
    long period = Math.max(1, ttl.toMillis() / 3);
    renewer.scheduleWithFixedDelay(this::renew, period, period, TimeUnit.MILLISECONDS);
  }

  private void renew() {
    synchronized (lock) {
      if (closed || lost != null) {
        return;
      }
      Instant before = expires;
      try {
        if (!clock.instant().isBefore(before)) {
          lost = "it expired at " + before + " before it was renewed ("
              + (renewFailure == null ? "this process was stalled" : renewFailure) + ")";
          return;
        }
        String other = takenBy();
        if (other != null) {
          lost = other;
          return;
        }
        Holder renewed = mine.renewedAt(clock.instant(), ttl);
        overwrite(state.fileSystem(), file, renewed);
        if (!clock.instant().isBefore(before)) {
          // Someone may have read the lapsed lease before our write landed and taken it.
          lost = "its renewal was written only after it had expired at " + before;
          return;
        }
        mine = renewed;
        expires = renewed.expiresAt();
        renewFailure = null;
      } catch (IOException | RuntimeException e) {
        // Kept trying until it expires; ensureHeld() reports this failure then.
        renewFailure = e.toString();
        System.err.println("WARN cannot renew the lease " + file + ": " + e.getMessage()
            + " (retrying; it expires at " + before + ")");
      }
    }
  }

  /** Why this lease is no longer ours (a newer generation, another token), or null. */
  private String takenBy() throws IOException {
    FileSystem fs = state.fileSystem();
    long top = highest(fs, state.lease());
    if (top > generation) {
      Path newer = file(state.lease(), top);
      String by;
      try {
        by = readSettled(fs, newer).map(Holder::describe).orElse(newer.toString());
      } catch (Unreadable e) {
        by = newer.toString();
      }
      return "it was taken over by " + by;
    }
    try {
      Holder onDisk = read(fs, file);
      if (!mine.token().equals(onDisk.token())) {
        return "its file " + file + " now names another holder, " + onDisk.describe();
      }
      return null;
    } catch (FileNotFoundException e) {
      return "its file " + file + " was deleted";
    } catch (Unreadable e) {
      return "its file " + file + " was overwritten with something unreadable ("
          + e.getMessage() + ")";
    }
  }

  private void deleteOlderGenerations() {
    FileSystem fs = state.fileSystem();
    try {
      for (long g : generations(fs, state.lease())) {
        if (g < generation) {
          fs.delete(file(state.lease(), g), false);
        }
      }
    } catch (IOException e) {
      // Harmless: old generations are never read again, the next holder retries.
      System.err.println("WARN cannot delete old lease files in " + state.lease() + ": "
          + e.getMessage());
    }
  }

  private static StateException inUse(StateDir state, Path current, Holder h) {
    return new StateException("state directory " + state.root() + " is in use by "
        + h.describe() + ". Wait for it to finish; if that process is gone (killed, its host"
        + " down), its lease lapses at " + h.expires() + " and the next command takes it over."
        + " Lease file: " + current);
  }

  /**
   * An unreadable lease file: true if it was last written longer ago than a lease lasts (its
   * writer is gone), false if it vanished; throws if it is recent (being written, or damaged).
   */
  private static boolean abandoned(FileSystem fs, Path f, Unreadable why, Clock clock,
      Duration ttl, StateDir state) throws IOException {
    FileStatus status;
    try {
      status = fs.getFileStatus(f);
    } catch (FileNotFoundException e) {
      return false;
    }
    Instant written = Instant.ofEpochMilli(status.getModificationTime());
    if (clock.instant().isBefore(written.plus(ttl))) {
      throw new StateException("lease file " + f + " is unreadable (" + why.getMessage()
          + ") and was written at " + written + ": another command may be writing it. Retry;"
          + " it counts as abandoned from " + written.plus(ttl) + " on. Delete it only if no"
          + " tierdex works on " + state.root());
    }
    return true;
  }

  /** The holder in {@code f}, once a write in progress is done; empty if {@code f} vanished. */
  private static Optional<Holder> readSettled(FileSystem fs, Path f)
      throws IOException, Unreadable {
    long deadline = System.nanoTime() + WRITE_SETTLES.toNanos();
    while (true) {
      try {
        return Optional.of(read(fs, f));
      } catch (FileNotFoundException e) {
        return Optional.empty();
      } catch (Unreadable e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StateException("interrupted while reading the lease file " + f, e);
      }
    }
  }

  private static Holder read(FileSystem fs, Path f) throws IOException, Unreadable {
    Holder h;
    try (InputStream in = fs.open(f)) {
      h = JSON.readValue(in, Holder.class);
    } catch (JacksonException e) {
      throw new Unreadable(e.getOriginalMessage());
    }
    if (h == null || h.token() == null || h.expires() == null) {
      throw new Unreadable(h == null ? "empty" : "no token or expiry");
    }
    try {
      h.expiresAt();
    } catch (DateTimeException e) {
      throw new Unreadable("expiry '" + h.expires() + "' is not an instant");
    }
    return h;
  }

  private static void overwrite(FileSystem fs, Path f, Holder h) throws IOException {
    try (OutputStream out = fs.create(f, true)) {
      out.write(JSON.writeValueAsBytes(h));
    }
  }

  /** Creates {@code f} holding {@code content}; false if it exists (someone else created it). */
  private static boolean createExclusive(FileSystem fs, Path f, byte[] content)
      throws IOException {
    boolean created = false;
    try {
      if (fs instanceof RawLocalFileSystem local) {
        // Hadoop's local create(overwrite=false) checks, then opens: two processes can both
        // pass the check. O_EXCL cannot. (HDFS's create(overwrite=false) is one atomic call.)
        try (OutputStream out = Files.newOutputStream(local.pathToFile(f).toPath(),
            StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
          created = true;
          out.write(content);
        }
      } else {
        try (OutputStream out = fs.create(f, false)) {
          created = true;
          out.write(content);
        }
      }
      return true;
    } catch (java.nio.file.FileAlreadyExistsException | FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      if (created) {
        fs.delete(f, false); // a half-written lease would block others for a whole ttl
      }
      throw e;
    }
  }

  private static long highest(FileSystem fs, Path dir) throws IOException {
    List<Long> g = generations(fs, dir);
    return g.isEmpty() ? 0 : g.get(g.size() - 1);
  }

  /** The generations in {@code dir}, ascending; other files are ignored. */
  private static List<Long> generations(FileSystem fs, Path dir) throws IOException {
    List<Long> out = new ArrayList<>();
    try {
      for (FileStatus s : fs.listStatus(dir)) {
        Matcher m = GENERATION_FILE.matcher(s.getPath().getName());
        if (s.isFile() && m.matches()) {
          out.add(Long.parseLong(m.group(1)));
        }
      }
    } catch (FileNotFoundException e) {
      return out;
    }
    out.sort(null);
    return out;
  }

  private static Path file(Path dir, long generation) {
    return new Path(dir, String.format("%08d.json", generation));
  }

  /**
   * A holder on this host whose process is gone (killed, crashed) left its lease behind:
   * it is taken over at once instead of after its ttl. A reused pid only makes us wait.
   */
  private static boolean diedHere(Holder h, String host) {
    return h.host().equals(host) && h.pid() != ProcessHandle.current().pid()
        && ProcessHandle.of(h.pid()).map(p -> !p.isAlive()).orElse(true);
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "an unknown host";
    }
  }

  /** A lease file that does not parse: being written right now, or damaged. */
  private static final class Unreadable extends Exception {
    Unreadable(String message) {
      super(message);
    }
  }
}
