package io.tierdex.config;

import io.tierdex.config.Key.Type;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * {@code tierdex.yaml}: every setting of a nightly run in one file (conf/tierdex.yaml
 * documents each key). Read once at start and checked whole: an unknown key, a missing
 * one or a value of the wrong kind stops the run before anything is touched, with the
 * file, the key and the fix. Any key can be overridden with {@code --set key=value}.
 * Relative paths are relative to the file.
 */
public record TierdexConfig(Path file, Source source, String state, Path policies,
    String master, int bins, Migrate migrate, int keepRuns, Thresholds thresholds,
    int reportHistory) {

  /**
   * The tree to tier and its index.
   *
   * @param index where tierdex indexes the root (as {@code tierdex index ROOT INDEX}: the
   *     index root is {@code INDEX/<name of ROOT>}), or null with {@code useIndex}
   * @param useIndex an index GUFI or BeeGFS built already, snapshotted as it is; or null
   * @param indexThreads indexer threads, 0 for one per core
   */
  public record Source(Path root, Path index, Path useIndex, int indexThreads) {
    /** The index root the snapshot reads. */
    public Path indexRoot() {
      return useIndex != null ? useIndex : index.resolve(root.getFileName().toString());
    }
  }

  /** How files move (tierdex migrate's options). */
  public record Migrate(String mover, int threads, int maxInFlight, List<String> hosts,
      long bandwidth, String checksum, boolean fsync, boolean verify, Path staging,
      String tagXattr, String openCheck, Duration minAge, String beegfs, String beegfsCtl,
      boolean writeBack) {}

  /** When a run that moved files still fails: more failed files than either allows. */
  public record Thresholds(int maxFailedFiles, double maxFailedPercent) {}

  static final List<Key> KEYS = List.of(
      Key.of("source.root", Type.PATH, null),
      Key.of("source.index", Type.PATH, null),
      Key.of("source.use_index", Type.PATH, null),
      Key.of("source.index_threads", Type.COUNT, 0),
      Key.of("state", Type.TEXT, null),
      Key.of("policies", Type.PATH, null),
      Key.of("spark.master", Type.TEXT, null),
      Key.of("plan.bins", Type.COUNT, 0),
      Key.choice("migrate.mover", "copy", "copy", "beegfs", "beegfs-ctl"),
      Key.of("migrate.threads", Type.COUNT, 4),
      Key.of("migrate.max_in_flight", Type.COUNT, 256),
      Key.of("migrate.hosts", Type.HOSTS, List.of()),
      Key.of("migrate.bandwidth", Type.BYTES, 0L),
      Key.choice("migrate.checksum", "crc32c", "crc32c", "sha256", "none"),
      Key.of("migrate.fsync", Type.FLAG, true),
      Key.of("migrate.verify", Type.FLAG, false),
      Key.of("migrate.staging", Type.PATH, null),
      Key.of("migrate.tag_xattr", Type.TEXT, null),
      Key.choice("migrate.open_check", "node", "node", "beegfs"),
      Key.of("migrate.min_age", Type.AGE, null),
      Key.of("migrate.beegfs", Type.TEXT, "beegfs"),
      Key.of("migrate.beegfs_ctl", Type.TEXT, "beegfs-ctl"),
      Key.of("migrate.write_back", Type.FLAG, true),
      Key.of("retention.keep_runs", Type.COUNT, 40),
      Key.of("thresholds.max_failed_files", Type.COUNT, 0),
      Key.of("thresholds.max_failed_percent", Type.PERCENT, 0.0),
      Key.of("report.history", Type.COUNT, 14));

  private static final List<String> REQUIRED = List.of("source.root", "state", "policies");

  /** The file at {@code path} with {@code --set key=value} overrides applied. */
  public static TierdexConfig load(Path path, List<String> overrides) {
    String text;
    try {
      text = Files.readString(path);
    } catch (IOException e) {
      throw new ConfigException("cannot read the configuration " + path + ": " + e.getMessage()
          + "; give an existing file with --config (conf/tierdex.yaml is an example)");
    }
    return parse(path.toAbsolutePath().normalize(), text, overrides);
  }

  /** {@code text} as the configuration file {@code file}. */
  public static TierdexConfig parse(Path file, String text, List<String> overrides) {
    Object doc;
    try {
      doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    } catch (RuntimeException e) {
      throw new ConfigException(file + ": not valid YAML: " + e.getMessage().strip()
          .replace('\n', ' ') + "; compare with conf/tierdex.yaml");
    }
    Map<String, Object> raw = new LinkedHashMap<>();
    if (doc != null) {
      if (!(doc instanceof Map<?, ?> top)) {
        throw new ConfigException(file + ": expected keys such as 'source:' and 'state:' at"
            + " the top, found " + describe(doc) + "; compare with conf/tierdex.yaml");
      }
      flatten(file, "", top, raw);
    }
    for (String o : overrides) {
      int eq = o.indexOf('=');
      if (eq <= 0) {
        throw new ConfigException("--set " + o + ": expected key=value, e.g. --set"
            + " migrate.threads=8");
      }
      String key = o.substring(0, eq).strip();
      known(key, "--set " + o);
      Object value = new Yaml(new SafeConstructor(new LoaderOptions()))
          .load(o.substring(eq + 1));
      raw.put(key, value);
    }
    Map<String, Object> v = new LinkedHashMap<>();
    for (Key k : KEYS) {
      String where = raw.containsKey(k.name()) ? file.toString() : file + " (default)";
      v.put(k.name(), k.parse(raw.get(k.name()), where));
    }
    List<String> missing = new ArrayList<>();
    for (String k : REQUIRED) {
      if (v.get(k) == null) {
        missing.add(k);
      }
    }
    if (v.get("source.index") == null && v.get("source.use_index") == null) {
      missing.add("source.index (or source.use_index)");
    }
    if (!missing.isEmpty()) {
      throw new ConfigException(file + ": " + String.join(", ", missing) + (missing.size() == 1
          ? " is" : " are") + " missing; set " + (missing.size() == 1 ? "it" : "them")
          + " in the file (see conf/tierdex.yaml) or with --set " + missing.get(0) + "=VALUE");
    }
    Path dir = file.getParent();
    Source source = new Source(path(dir, v, "source.root"), path(dir, v, "source.index"),
        path(dir, v, "source.use_index"), (Integer) v.get("source.index_threads"));
    Migrate migrate = new Migrate((String) v.get("migrate.mover"),
        positive(file, v, "migrate.threads"), positive(file, v, "migrate.max_in_flight"),
        cast(v.get("migrate.hosts")), (Long) v.get("migrate.bandwidth"),
        (String) v.get("migrate.checksum"), (Boolean) v.get("migrate.fsync"),
        (Boolean) v.get("migrate.verify"), path(dir, v, "migrate.staging"),
        (String) v.get("migrate.tag_xattr"), (String) v.get("migrate.open_check"),
        (Duration) v.get("migrate.min_age"), (String) v.get("migrate.beegfs"),
        (String) v.get("migrate.beegfs_ctl"), (Boolean) v.get("migrate.write_back"));
    String state = (String) v.get("state");
    return new TierdexConfig(file, source, state.contains(":/") ? state
        : dir.resolve(state).normalize().toString(), path(dir, v, "policies"),
        (String) v.get("spark.master"), (Integer) v.get("plan.bins"), migrate,
        positive(file, v, "retention.keep_runs"),
        new Thresholds((Integer) v.get("thresholds.max_failed_files"),
            (Double) v.get("thresholds.max_failed_percent")),
        (Integer) v.get("report.history"));
  }

  private static void flatten(Path file, String prefix, Map<?, ?> map, Map<String, Object> out) {
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = prefix + e.getKey();
      if (e.getValue() instanceof Map<?, ?> inner && KEYS.stream()
          .anyMatch(k -> k.name().startsWith(key + "."))) {
        flatten(file, key + ".", inner, out);
        continue;
      }
      known(key, file.toString());
      out.put(key, e.getValue());
    }
  }

  private static void known(String key, String where) {
    if (KEYS.stream().noneMatch(k -> k.name().equals(key))) {
      String section = key.contains(".") ? key.substring(0, key.indexOf('.') + 1) : "";
      List<String> near = KEYS.stream().map(Key::name)
          .filter(n -> !section.isEmpty() && n.startsWith(section)).toList();
      throw new ConfigException(where + ": unknown key '" + key + "'" + (near.isEmpty()
          ? "; the keys are: " + String.join(", ", KEYS.stream().map(Key::name).toList())
          : "; " + section.substring(0, section.length() - 1) + " has: "
              + String.join(", ", near)) + " (conf/tierdex.yaml documents each)");
    }
  }

  private static Path path(Path dir, Map<String, Object> v, String key) {
    Object p = v.get(key);
    return p == null ? null : dir.resolve((String) p).normalize();
  }

  private static int positive(Path file, Map<String, Object> v, String key) {
    int n = (Integer) v.get(key);
    if (n < 1) {
      throw new ConfigException(file + ": " + key + ": must be at least 1, not " + n);
    }
    return n;
  }

  @SuppressWarnings("unchecked")
  private static List<String> cast(Object o) {
    return (List<String>) o;
  }

  private static String describe(Object o) {
    return o instanceof List<?> ? "a list" : "'" + o + "'";
  }
}
