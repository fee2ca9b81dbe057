package io.tierdex.policy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A policy file as Spark SQL. {@link #classify} is the one pass over the snapshot: every
 * file gets the first exclude rule and the first rule that match it, and the skips that
 * apply; {@link #explain} prints the same logic one rule at a time.
 *
 * @param excludes the exclude conditions, in file order
 * @param rules the rule conditions, in file order
 * @param weights the rule weights
 */
public record CompiledPolicies(Policies policies, Instant now, List<String> excludes,
    List<String> rules, List<String> weights) {
  /** Column positions in the rows of {@link #classify}. */
  static final int RULE = 0, VERDICT = 1, WEIGHT = 2, SIZE = 3, PATH = 4, INODE = 5,
      MTIME = 6, CTIME = 7;
  private static final long WEIGHT_SPAN = 1L << 48;

  /** Files changed after this epoch second are too new to move (the min_age guard). */
  public long newestAllowed() {
    return now.minus(policies.minAge()).getEpochSecond();
  }

  /** The pool id of each file ({@link Policies#poolIdSql}). */
  String poolId() {
    return policies.poolIdSql();
  }

  /**
   * The classification query over the entries view {@code e} and, if not null, the tier
   * state view {@code t}: one row per file (type 'f') that some rule's condition matches.
   * {@code rule} is the first rule whose pool and condition match, or, for a file already
   * on the target pool of the first rule whose condition matches, that rule;
   * {@code verdict} is one of {@link Verdict}. Only a {@link Verdict#SELECTABLE} row keeps
   * its weight, path, inode and times: the others are counted, never moved. {@code sort_key}
   * sorts as rule, verdict, then weight (largest first, whole numbers up to 2^48) do, in one
   * number: Spark's sort compares rows by their first key's value before anything else, so
   * most comparisons stop there.
   */
  String classify(String e, String t) {
    StringBuilder excluded = new StringBuilder("CASE");
    for (int i = 0; i < excludes.size(); i++) {
      excluded.append(" WHEN (").append(excludes.get(i)).append(") THEN true");
    }
    excluded.append(excludes.isEmpty() ? " WHEN false THEN true END" : " END");
    // A file's rule is the rule of its first matching condition when it sits on that rule's
    // source pool; only otherwise are the later conditions looked at again.
    StringBuilder from = new StringBuilder("CASE condition_index");
    StringBuilder later = new StringBuilder("CASE");
    StringBuilder condition = new StringBuilder("CASE");
    StringBuilder weight = new StringBuilder("CASE rule_index");
    StringBuilder target = new StringBuilder("CASE condition_index");
    for (int i = 0; i < rules.size(); i++) {
      Policies.Rule r = policies.rules().get(i);
      from.append(" WHEN ").append(i).append(" THEN ").append(policies.pool(r.from()).id());
      later.append(" WHEN condition_index < ").append(i).append(" AND pool_id = ")
          .append(policies.pool(r.from()).id()).append(" AND (").append(rules.get(i))
          .append(") THEN ").append(i);
      condition.append(" WHEN (").append(rules.get(i)).append(") THEN ").append(i);
      weight.append(" WHEN ").append(i).append(" THEN CAST((").append(weights.get(i))
          .append(") AS DOUBLE)");
      target.append(" WHEN ").append(i).append(" THEN ")
          .append(policies.pool(r.to()).id());
    }
    long newest = newestAllowed();
    // Spark pushes a filter below the projection it reads and inlines the projection's
    // expressions into it, which would evaluate every condition twice per file. The
    // partition id is not deterministic in Spark's eyes, so no filter moves below the
    // projection that first computes condition_index: it is computed once per file.
    // Conditions name the entry's columns unqualified, so the tier state joins outside.
    String matched = "SELECT *, " + poolId() + " AS pool_id, " + condition
        + " END AS condition_index, spark_partition_id() AS task FROM " + e
        + " WHERE type = 'f'";
    String ruled = "SELECT *, CASE WHEN pool_id = " + from + " END THEN condition_index ELSE "
        + later + " END END AS rule_index FROM (" + matched
        + ") WHERE condition_index IS NOT NULL";
    String classified = "SELECT path, inode, size, mtime, ctime, rule_index, condition_index,"
        + " COALESCE(" + excluded + ", false) AS excluded,"
        + " (mtime > " + newest + " OR ctime > " + newest + ") AS too_new, " + weight
        + " END AS weight FROM (" + ruled + ") WHERE rule_index IS NOT NULL OR pool_id = "
        + target + " END";
    String joined = t == null ? "SELECT *, false AS migrated FROM (" + classified + ")"
        : "SELECT c.*, t.path IS NOT NULL AS migrated FROM (" + classified + ") c"
            + " LEFT JOIN " + t + " t ON t.path = c.path AND t.inode = c.inode"
            + " AND t.size = c.size AND t.mtime = c.mtime";
    String verdict = "CASE WHEN rule_index IS NULL THEN " + Verdict.ON_TARGET.code()
        + " WHEN excluded THEN " + Verdict.EXCLUDED.code()
        + " WHEN migrated THEN " + Verdict.MIGRATED.code()
        + " WHEN too_new THEN " + Verdict.TOO_NEW.code()
        + " ELSE " + Verdict.SELECTABLE.code() + " END";
    String keep = "verdict = " + Verdict.SELECTABLE.code();
    return "SELECT rule, verdict, IF(" + keep + ", weight, NULL) AS weight, size,"
        + " IF(" + keep + ", path, NULL) AS path, IF(" + keep + ", inode, NULL) AS inode,"
        + " IF(" + keep + ", mtime, NULL) AS mtime, IF(" + keep + ", ctime, NULL) AS ctime,"
        + " (CAST(rule AS BIGINT) * 8 + verdict) * " + WEIGHT_SPAN + " + " + (WEIGHT_SPAN - 1)
        + " - IF(" + keep + ", CAST(LEAST(GREATEST(COALESCE(weight, 0), 0), "
        + (WEIGHT_SPAN - 1) + "D) AS BIGINT), 0) AS sort_key"
        + " FROM (SELECT COALESCE(rule_index, condition_index) AS rule, " + verdict
        + " AS verdict, weight, COALESCE(size, 0) AS size, path, inode, mtime, ctime FROM ("
        + joined + "))";
  }

  /** Each rule as the query it amounts to, with the guards and earlier rules spelt out. */
  public String explain() {
    StringBuilder out = new StringBuilder();
    long newest = newestAllowed();
    out.append("-- ").append(policies.file()).append(", planned as of ").append(now)
        .append(": one pass over the snapshot gives each file the first rule that matches;")
        .append(" each rule below is that pass seen from one rule.\n");
    for (int i = 0; i < rules.size(); i++) {
      Policies.Rule r = policies.rules().get(i);
      List<String> where = new ArrayList<>();
      where.add("type = 'f'");
      where.add("mtime <= " + newest + " AND ctime <= " + newest + "  -- min_age "
          + policies.minAge().toString().substring(2).toLowerCase());
      where.add(poolId() + " = " + policies.pool(r.from()).id()
          + "  -- on pool " + r.from());
      for (int x = 0; x < excludes.size(); x++) {
        where.add("NOT COALESCE((" + excludes.get(x) + "), false)  -- exclude "
            + policies.excludes().get(x).name());
      }
      for (int j = 0; j < i; j++) {
        Policies.Rule earlier = policies.rules().get(j);
        where.add("NOT (" + poolId() + " = "
            + policies.pool(earlier.from()).id() + " AND COALESCE((" + rules.get(j)
            + "), false))  -- earlier rule " + earlier.name());
      }
      where.add("(" + rules.get(i) + ")");
      List<String> limits = new ArrayList<>();
      r.maxFiles().ifPresent(f -> limits.add("at most " + f + " files"));
      r.maxBytes().ifPresent(b -> limits.add("at most " + b + " bytes"));
      r.high().ifPresent(h -> limits.add("only while pool " + r.from() + " is above " + h
          + "% full"));
      r.low().ifPresent(l -> limits.add("until pool " + r.from() + " would be " + l
          + "% full"));
      out.append("\n-- rule '").append(r.name()).append("': ").append(r.from()).append(" -> ")
          .append(r.to()).append(limits.isEmpty() ? "" : "; " + String.join(", ", limits))
          .append("\nSELECT path, inode, size, mtime, ctime, CAST((").append(weights.get(i))
          .append(") AS DOUBLE) AS weight\nFROM snapshot\nWHERE ")
          .append(where.stream().collect(Collectors.joining("\n  AND ")))
          .append("\n  -- and not moved by tierdex and unchanged since (tier state)")
          .append("\nORDER BY weight DESC, size DESC, path;\n");
    }
    return out.toString();
  }
}
