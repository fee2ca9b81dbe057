package io.tierdex.policy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a policy file into {@link Policies}, checking its shape: known keys only, the
 * required ones present, pools that exist, units that parse. YAML's node tree keeps the
 * line of every key, so each message points at the line to fix.
 */
public final class PolicyParser {
  private static final Duration DEFAULT_MIN_AGE = Duration.ofHours(1);
  private static final List<String> TOP = List.of("min_age", "pool_column", "default_pool",
      "pools", "exclude", "rules");
  private static final List<String> POOL = List.of("name", "id", "capacity");
  private static final List<String> CAPACITY = List.of("total", "used", "command");
  private static final List<String> EXCLUDE = List.of("name", "condition");
  private static final List<String> RULE = List.of("name", "from", "to", "condition", "weight",
      "limits", "thresholds");
  private static final List<String> LIMITS = List.of("files", "bytes");
  private static final List<String> THRESHOLDS = List.of("high", "low");

  private final String file;

  private PolicyParser(String file) {
    this.file = file;
  }

  /** The policy file at {@code path}. */
  public static Policies load(Path path) {
    String text;
    try {
      text = Files.readString(path);
    } catch (IOException e) {
      throw new PolicyException("cannot read the policy file " + path + ": " + e.getMessage()
          + "; give an existing file with --policies (conf/policies.yaml is an example)");
    }
    return parse(path.toString(), text);
  }

  /** {@code text}, read as the policy file named {@code file}. */
  public static Policies parse(String file, String text) {
    return new PolicyParser(file).policies(text);
  }

  private Policies policies(String text) {
    Node root;
    try {
      root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 1;
      throw PolicyException.at(file, line, null, "not valid YAML: " + e.getProblem()
          + (e.getContext() == null ? "" : " (" + e.getContext() + ")")
          + "; check the indentation and quoting on this line and the one before");
    }
    if (root == null) {
      throw PolicyException.at(file, 1, null, "the file is empty; it needs pools and rules"
          + " (conf/policies.yaml is an example)");
    }
    Map<String, Node> top = mapping(root, null, TOP, List.of("pools", "rules"));
    Duration minAge = top.containsKey("min_age") ? age(top.get("min_age"), null)
        : DEFAULT_MIN_AGE;
    Optional<String> poolColumn = Optional.ofNullable(top.get("pool_column"))
        .map(n -> string(n, null));

    List<Policies.Pool> pools = new ArrayList<>();
    Set<Integer> ids = new HashSet<>();
    for (Node n : sequence(top.get("pools"), null, "pools")) {
      Map<String, Node> m = mapping(n, "a pool", POOL, List.of("name", "id"));
      String name = string(m.get("name"), "a pool");
      String where = "pool '" + name + "'";
      if (pools.stream().anyMatch(p -> p.name().equals(name))) {
        throw PolicyException.at(file, line(n), where, "a second pool of that name; give each"
            + " pool its own name");
      }
      int id = (int) integer(m.get("id"), where);
      if (!ids.add(id)) {
        throw PolicyException.at(file, line(m.get("id")), where, "pool id " + id + " is"
            + " already another pool's; each BeeGFS storage pool has its own id");
      }
      pools.add(new Policies.Pool(name, id, Optional.ofNullable(m.get("capacity"))
          .map(c -> capacity(c, where)), line(n)));
    }
    if (pools.size() < 2) {
      throw PolicyException.at(file, line(top.get("pools")), null, "at least two pools are"
          + " needed (a fast one to move from and a slow one to move to)");
    }
    String defaultPool = top.containsKey("default_pool")
        ? poolName(top.get("default_pool"), null, pools) : pools.get(0).name();

    Set<String> names = new HashSet<>();
    List<Policies.Exclude> excludes = new ArrayList<>();
    if (top.containsKey("exclude")) {
      for (Node n : sequence(top.get("exclude"), null, "exclude")) {
        Map<String, Node> m = mapping(n, "an exclude rule", EXCLUDE, EXCLUDE);
        String name = uniqueName(m.get("name"), names, "exclude rule");
        excludes.add(new Policies.Exclude(name, string(m.get("condition"),
            "exclude rule '" + name + "'"), line(n)));
      }
    }
    List<Policies.Rule> rules = new ArrayList<>();
    for (Node n : sequence(top.get("rules"), null, "rules")) {
      rules.add(rule(n, names, pools));
    }
    if (rules.isEmpty()) {
      throw PolicyException.at(file, line(top.get("rules")), null, "no rules; add at least"
          + " one under rules:");
    }
    if (rules.size() > Policies.MAX_RULES) {
      throw PolicyException.at(file, line(top.get("rules")), null, rules.size() + " rules;"
          + " at most " + Policies.MAX_RULES + " are allowed: merge rules that move between"
          + " the same pools with OR");
    }
    return new Policies(file, minAge, poolColumn, defaultPool, List.copyOf(pools),
        List.copyOf(excludes), List.copyOf(rules));
  }

  private Policies.Rule rule(Node n, Set<String> names, List<Policies.Pool> pools) {
    Map<String, Node> m = mapping(n, "a rule", RULE, List.of("name", "from", "to",
        "condition"));
    String name = uniqueName(m.get("name"), names, "rule");
    String where = "rule '" + name + "'";
    String from = poolName(m.get("from"), where, pools);
    String to = poolName(m.get("to"), where, pools);
    if (from.equals(to)) {
      throw PolicyException.at(file, line(m.get("to")), where, "from and to are both '" + from
          + "'; a rule moves files from one pool to another");
    }
    Optional<Long> files = Optional.empty();
    Optional<Long> bytes = Optional.empty();
    if (m.containsKey("limits")) {
      Map<String, Node> l = mapping(m.get("limits"), where + ", limits", LIMITS, List.of());
      files = Optional.ofNullable(l.get("files")).map(x -> integer(x, where));
      bytes = Optional.ofNullable(l.get("bytes")).map(x -> bytes(x, where));
    }
    Optional<Double> high = Optional.empty();
    Optional<Double> low = Optional.empty();
    if (m.containsKey("thresholds")) {
      Map<String, Node> t = mapping(m.get("thresholds"), where + ", thresholds", THRESHOLDS,
          List.of());
      high = Optional.ofNullable(t.get("high")).map(x -> percent(x, where));
      low = Optional.ofNullable(t.get("low")).map(x -> percent(x, where));
      if (high.isPresent() && low.isPresent() && low.get() >= high.get()) {
        throw PolicyException.at(file, line(t.get("low")), where, "low (" + low.get()
            + "%) must be below high (" + high.get() + "%): moving stops at low once usage"
            + " went above high");
      }
      if (pools.stream().filter(p -> p.name().equals(from)).findFirst().orElseThrow()
          .capacity().isEmpty()) {
        throw PolicyException.at(file, line(m.get("thresholds")), where, "thresholds need"
            + " the capacity of pool '" + from + "'; give it a capacity: {total: ..., used:"
            + " ...} or {command: ...}");
      }
    }
    String weight = m.containsKey("weight") ? string(m.get("weight"), where) : "size";
    return new Policies.Rule(name, from, to, string(m.get("condition"), where), weight,
        files, bytes, high, low, line(n));
  }

  private Policies.Capacity capacity(Node n, String where) {
    Map<String, Node> m = mapping(n, where + ", capacity", CAPACITY, List.of());
    Optional<Long> total = Optional.ofNullable(m.get("total")).map(x -> bytes(x, where));
    Optional<Long> used = Optional.ofNullable(m.get("used")).map(x -> bytes(x, where));
    Optional<String> command = Optional.ofNullable(m.get("command")).map(x -> string(x, where));
    if (command.isPresent() == (total.isPresent() || used.isPresent())
        || total.isPresent() != used.isPresent()) {
      throw PolicyException.at(file, line(n), where, "capacity takes either total and used"
          + " (sizes, as in {total: 200TiB, used: 150TiB}) or a command that prints total and"
          + " used bytes");
    }
    return new Policies.Capacity(total, used, command, line(n));
  }

  /** The keys of a mapping node, checked against {@code known} and {@code required}. */
  private Map<String, Node> mapping(Node n, String where, List<String> known,
      List<String> required) {
    if (!(n instanceof MappingNode mapping)) {
      throw PolicyException.at(file, line(n), where, "expected keys and values here ("
          + String.join(", ", known) + ")");
    }
    Map<String, Node> out = new LinkedHashMap<>();
    for (NodeTuple t : mapping.getValue()) {
      String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : "?";
      if (!known.contains(key)) {
        String near = Suggestions.nearest(key, known);
        throw PolicyException.at(file, line(t.getKeyNode()), where, "unknown key '" + key
            + "'" + (near == null ? "" : "; did you mean '" + near + "'?") + " (known keys: "
            + String.join(", ", known) + ")");
      }
      if (out.put(key, t.getValueNode()) != null) {
        throw PolicyException.at(file, line(t.getKeyNode()), where, "'" + key + "' is given"
            + " twice; keep one");
      }
    }
    for (String key : required) {
      if (!out.containsKey(key)) {
        throw PolicyException.at(file, line(n), where, "'" + key + "' is missing; add "
            + key + ": ...");
      }
    }
    return out;
  }

  private List<Node> sequence(Node n, String where, String key) {
    if (!(n instanceof SequenceNode s)) {
      throw PolicyException.at(file, line(n), where, "'" + key + "' must be a list (lines"
          + " starting with '- ')");
    }
    return s.getValue();
  }

  private String string(Node n, String where) {
    if (!(n instanceof ScalarNode s) || s.getValue().isBlank()) {
      throw PolicyException.at(file, line(n), where, "expected a value here");
    }
    return s.getValue().strip();
  }

  private long integer(Node n, String where) {
    String s = string(n, where);
    try {
      return Long.parseLong(s.replace("_", ""));
    } catch (NumberFormatException e) {
      throw PolicyException.at(file, line(n), where, "'" + s + "' is not a whole number");
    }
  }

  private long bytes(Node n, String where) {
    String[] problem = new String[1];
    return Units.bytes(string(n, where), problem)
        .orElseThrow(() -> PolicyException.at(file, line(n), where, problem[0]));
  }

  private Duration age(Node n, String where) {
    String[] problem = new String[1];
    return Units.age(string(n, where), problem)
        .orElseThrow(() -> PolicyException.at(file, line(n), where, problem[0]));
  }

  private double percent(Node n, String where) {
    String s = string(n, where);
    try {
      double p = Double.parseDouble(s.endsWith("%") ? s.substring(0, s.length() - 1) : s);
      if (p >= 0 && p <= 100) {
        return p;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw PolicyException.at(file, line(n), where, "'" + s + "' is not a percentage from 0 to"
        + " 100");
  }

  private String poolName(Node n, String where, List<Policies.Pool> pools) {
    String name = string(n, where);
    List<String> known = pools.stream().map(Policies.Pool::name).toList();
    if (!known.contains(name)) {
      String near = Suggestions.nearest(name, known);
      throw PolicyException.at(file, line(n), where, "unknown pool '" + name + "'"
          + (near == null ? "" : "; did you mean '" + near + "'?") + " (pools: "
          + String.join(", ", known) + ")");
    }
    return name;
  }

  private String uniqueName(Node n, Set<String> names, String what) {
    String name = string(n, "a " + what);
    if (!names.add(name)) {
      throw PolicyException.at(file, line(n), what + " '" + name + "'", "the name is already"
          + " used by another rule; give each rule its own name (plans and ledgers refer to"
          + " rules by name)");
    }
    return name;
  }

  private static int line(Node n) {
    return n == null ? 1 : n.getStartMark().getLine() + 1;
  }
}
