package io.tierdex.policy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A policy file, parsed and checked for shape ({@link PolicyParser}); the conditions are
 * checked against a snapshot by {@link PolicyCompiler}.
 *
 * @param file where it was read from, for messages
 * @param minAge no file whose mtime or ctime is newer than this is ever selected
 * @param poolColumn the index column that holds each file's storage pool id (0 or null:
 *     unknown), or empty when the index does not say
 * @param defaultPool the pool of files whose pool the index does not say
 * @param excludes conditions that keep a file out of every rule
 * @param rules in order: a file belongs to the first rule whose condition it matches
 */
public record Policies(String file, Duration minAge, Optional<String> poolColumn,
    String defaultPool, List<Pool> pools, List<Exclude> excludes, List<Rule> rules) {
  /** Rules a file may hold: the planner packs the rule's index into a 12-bit sort key. */
  public static final int MAX_RULES = 4096;

  /** A storage pool: its name in rules, its BeeGFS id, and how full it is (for thresholds). */
  public record Pool(String name, int id, Optional<Capacity> capacity, int line) {}

  /**
   * How to learn a pool's size and use: given numbers, or a command that prints two numbers
   * (total and used bytes), for instance a wrapper around {@code beegfs-df}.
   */
  public record Capacity(Optional<Long> total, Optional<Long> used, Optional<String> command,
      int line) {}

  /** Keeps the files its condition matches out of every rule. */
  public record Exclude(String name, String condition, int line) {}

  /**
   * Moves the files it matches first from pool {@code from} to pool {@code to}.
   *
   * @param weight orders the candidates, highest first (default: size)
   * @param maxFiles at most this many files per run, or empty
   * @param maxBytes at most this many bytes per run, or empty
   * @param high act only when {@code from} is more than this per cent full, or empty
   * @param low stop selecting once {@code from} would be this per cent full, or empty
   */
  public record Rule(String name, String from, String to, String condition, String weight,
      Optional<Long> maxFiles, Optional<Long> maxBytes, Optional<Double> high,
      Optional<Double> low, int line) {}

  /**
   * The pool id of a snapshot row as Spark SQL over its columns: the index's pool column
   * (which migration writes back), else the default pool. The planner decides which files
   * a rule's {@code from} covers with it, and the report which files remain there.
   */
  public String poolIdSql() {
    int fallback = pool(defaultPool).id();
    return poolColumn.map(c -> "COALESCE(NULLIF(CAST(" + c + " AS BIGINT), 0), " + fallback
        + ")").orElse(String.valueOf(fallback));
  }

  /** These policies with rule {@code name}'s condition replaced, for a what-if. */
  public Policies withCondition(String name, String condition) {
    if (rules.stream().noneMatch(r -> r.name().equals(name))) {
      throw new PolicyException(file + ": no rule named '" + name + "'; its rules are "
          + String.join(", ", rules.stream().map(Rule::name).toList()));
    }
    return new Policies(file, minAge, poolColumn, defaultPool, pools, excludes, rules.stream()
        .map(r -> !r.name().equals(name) ? r : new Rule(r.name(), r.from(), r.to(), condition,
            r.weight(), r.maxFiles(), r.maxBytes(), r.high(), r.low(), r.line()))
        .toList());
  }

  public Pool pool(String name) {
    return pools.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
  }
}
