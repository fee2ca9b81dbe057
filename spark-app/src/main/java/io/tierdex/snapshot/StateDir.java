package io.tierdex.snapshot;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The state directory: {@code runs/<run-id>/{snapshot,changes,...}} and
 * {@code runs/<run-id>/manifest.json}, plus {@code tiering/}. It lives on any Hadoop file
 * system (a local folder, HDFS, the shared BeeGFS mount), so the driver and every
 * executor see the same runs. A run commits by writing its manifest last, through a
 * rename, which is atomic on local file systems and HDFS: readers see a whole manifest
 * or none, and a run without one is ignored.
 */
public final class StateDir {
  public static final String MANIFEST = "manifest.json";
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES); // newer tierdex, more fields

  private final FileSystem fs;
  private final Path root;

  private StateDir(FileSystem fs, Path root) {
    this.fs = fs;
    this.root = root;
  }

  /** A URI ({@code hdfs://nn/tierdex}, {@code file:/srv/tierdex}) or a local path. */
  public static StateDir open(String location, Configuration conf) {
    if (location == null || location.isBlank()) {
      throw new IllegalArgumentException("no state directory: give --state DIR (or set"
          + " TIERDEX_STATE)");
    }
    URI uri = URI.create(location).getScheme() == null
        ? Paths.get(location).toAbsolutePath().normalize().toUri() : URI.create(location);
    try {
      FileSystem fs = FileSystem.get(uri, conf);
      if (fs instanceof LocalFileSystem local) {
        // No .crc files beside the manifests: they are small JSON files people read and
        // may repair by hand, and a stale checksum would make a repaired one unreadable.
        fs = local.getRaw();
      }
      Path root = fs.makeQualified(new Path(uri));
      if (fs.exists(root) && !fs.getFileStatus(root).isDirectory()) {
        throw new IllegalArgumentException("state directory " + root + " is a file; give a"
            + " directory (it is created if missing)");
      }
      return new StateDir(fs, root);
    } catch (IOException e) {
      throw new StateException("cannot open state directory " + location + ": " + e.getMessage(),
          e);
    }
  }

  public Path root() {
    return root;
  }

  public FileSystem fileSystem() {
    return fs;
  }

  public Path run(RunId id) {
    return new Path(new Path(root, "runs"), id.value());
  }

  /** One output of a run, {@code runs/<id>/<name>}. */
  public Path output(RunId id, String name) {
    return new Path(run(id), name);
  }

  public Path tiering() {
    return new Path(root, "tiering");
  }

  /** {@code lease/}: which command works on this state directory now ({@link StateLease}). */
  public Path lease() {
    return new Path(root, "lease");
  }

  /** Starts a run: its directory exists, its manifest does not yet. */
  public RunId begin() {
    RunId id = RunId.startingAt(Instant.now());
    try {
      if (!fs.mkdirs(run(id))) {
        throw new StateException("cannot create " + run(id));
      }
      return id;
    } catch (IOException e) {
      throw new StateException("cannot create run directory " + run(id) + ": " + e.getMessage()
          + " (is the state directory writable?)", e);
    }
  }

  /** Commits a run by writing its manifest, beside it first, then renamed into place. */
  public void commit(Manifest m) {
    Path dir = run(m.runId());
    Path partial = new Path(dir, "_" + MANIFEST + ".partial");
    Path manifest = new Path(dir, MANIFEST);
    try {
      try (OutputStream out = fs.create(partial, true)) {
        JSON.writeValue(out, m);
      }
      if (fs.exists(manifest) || !fs.rename(partial, manifest)) {
        throw new StateException("cannot commit run " + m.run() + ": " + manifest
            + " exists or the rename failed");
      }
    } catch (IOException e) {
      throw new StateException("cannot write " + manifest + ": " + e.getMessage(), e);
    }
  }

  /** Every committed run, oldest first. A corrupt manifest stops the listing, naming it. */
  public List<Manifest> committed() {
    List<Manifest> out = new ArrayList<>();
    for (RunId id : runIds()) {
      read(id).ifPresent(out::add);
    }
    return out;
  }

  /** Every run directory, committed or not, oldest first. */
  public List<RunId> runs() {
    return runIds();
  }

  /** Runs whose directory exists but whose manifest does not: interrupted or running. */
  public List<RunId> incomplete() {
    List<RunId> out = new ArrayList<>();
    for (RunId id : runIds()) {
      if (!exists(new Path(run(id), MANIFEST))) {
        out.add(id);
      }
    }
    return out;
  }

  /** A committed run's manifest; a run that did not commit is an error naming it. */
  public Manifest manifest(RunId id) {
    return read(id).orElseThrow(() -> new StateException("run " + id + " in " + root
        + " did not commit (no " + MANIFEST + "); tierdex runs lists the committed runs"));
  }

  /** The committed run {@code id}, which must hold a snapshot. */
  public Manifest withSnapshot(RunId id) {
    Manifest m = manifest(id);
    if (m.snapshot() == null) {
      throw new StateException("run " + id + " holds no snapshot (it is a " + m.kind()
          + " run); tierdex runs shows which runs do");
    }
    return m;
  }

  /** The newest committed runs that hold a snapshot, newest first. */
  public List<Manifest> snapshots() {
    List<Manifest> out = new ArrayList<>(committed().stream()
        .filter(m -> m.snapshot() != null).toList());
    out.sort(Comparator.comparing(Manifest::runId).reversed());
    return out;
  }

  /**
   * Deletes committed runs beyond the newest {@code keep} (never the newest snapshot: the
   * next diff starts from it) and incomplete runs started more than {@code staleAfter}
   * ago (younger ones may still be running). Returns what it deleted.
   */
  public List<RunId> retain(int keep, Duration staleAfter) {
    if (keep < 1) {
      throw new IllegalArgumentException("--keep must be at least 1, not " + keep);
    }
    List<Manifest> runs = committed();
    Optional<RunId> newestSnapshot = snapshots().stream().findFirst().map(Manifest::runId);
    List<RunId> doomed = new ArrayList<>();
    for (int i = 0; i < runs.size() - keep; i++) {
      RunId id = runs.get(i).runId();
      if (newestSnapshot.isEmpty() || !newestSnapshot.get().equals(id)) {
        doomed.add(id);
      }
    }
    Instant cutoff = Instant.now().minus(staleAfter);
    for (RunId id : incomplete()) {
      if (id.started().isBefore(cutoff)) {
        doomed.add(id);
      }
    }
    for (RunId id : doomed) {
      try {
        // The manifest goes first: a deletion cut short leaves an incomplete run, never a
        // committed run with missing files.
        fs.delete(new Path(run(id), MANIFEST), false);
        fs.delete(run(id), true);
      } catch (IOException e) {
        throw new StateException("cannot delete old run " + run(id) + ": " + e.getMessage(), e);
      }
    }
    return doomed;
  }

  /**
   * Writes {@code value} as {@code runs/<id>/<name>} (JSON), beside and renamed into place,
   * replacing an older one: a reader sees the old file or the new one, never half of one.
   */
  public void replaceJson(RunId id, String name, Object value) {
    replace(id, name, out -> JSON.writeValue(out, value));
  }

  /** Writes {@code content} as {@code runs/<id>/<name>}, as {@link #replaceJson} does. */
  public void replaceFile(RunId id, String name, byte[] content) {
    replace(id, name, out -> out.write(content));
  }

  private interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  private void replace(RunId id, String name, Content content) {
    Path file = new Path(run(id), name);
    Path partial = new Path(run(id), "_" + name + ".partial");
    try {
      try (OutputStream out = fs.create(partial, true)) {
        content.writeTo(out);
      }
      fs.delete(file, false);
      if (!fs.rename(partial, file)) {
        throw new StateException("cannot rename " + partial + " to " + file);
      }
    } catch (IOException e) {
      throw new StateException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** {@code runs/<id>/<name>} read as JSON, if it exists. */
  public <T> Optional<T> readJson(RunId id, String name, Class<T> type) {
    Path file = new Path(run(id), name);
    try (InputStream in = fs.open(file)) {
      return Optional.of(JSON.readValue(in, type));
    } catch (FileNotFoundException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StateException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private Optional<Manifest> read(RunId id) {
    Path file = new Path(run(id), MANIFEST);
    Manifest m;
    try (InputStream in = fs.open(file)) {
      m = JSON.readValue(in, Manifest.class);
    } catch (FileNotFoundException e) {
      return Optional.empty();
    } catch (JacksonException e) {
      throw corrupt(file, e.getOriginalMessage());
    } catch (ChecksumException e) {
      throw corrupt(file, "its checksum does not match");
    } catch (IOException e) {
      throw new StateException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (m == null || m.format() != Manifest.FORMAT || !id.value().equals(m.run())) {
      throw corrupt(file, m == null ? "empty" : m.format() != Manifest.FORMAT
          ? "format " + m.format() + " is not " + Manifest.FORMAT
          : "it names run " + m.run());
    }
    return Optional.of(m);
  }

  private static StateException corrupt(Path file, String why) {
    return new StateException("corrupt run manifest " + file + ": " + why + ". Restore it, or"
        + " delete it to drop that run (its outputs are then ignored and removed by retention)");
  }

  private List<RunId> runIds() {
    Path runs = new Path(root, "runs");
    try {
      if (!fs.exists(runs)) {
        return List.of();
      }
      List<RunId> ids = new ArrayList<>();
      for (FileStatus s : fs.listStatus(runs)) {
        if (s.isDirectory()) {
          RunId.parse(s.getPath().getName()).ifPresent(ids::add);
        }
      }
      ids.sort(Comparator.naturalOrder());
      return ids;
    } catch (IOException e) {
      throw new StateException("cannot list " + runs + ": " + e.getMessage(), e);
    }
  }

  private boolean exists(Path p) {
    try {
      return fs.exists(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
