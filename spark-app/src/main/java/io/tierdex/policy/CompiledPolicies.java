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

  /** Files changed after this epoch second are too new to move (the min_age guard). */
  public long newestAllowed() {
    return now.minus(policies.minAge()).getEpochSecond();
  }

  /** The pool id of each file: the index's pool column, else the default pool. */
  String poolId() {
    int fallback = policies.pool(policies.defaultPool()).id();
    return policies.poolColumn().map(c -> "COALESCE(NULLIF(CAST(" + c + " AS BIGINT), 0), "
        + fallback + ")").orElse(String.valueOf(fallback));
  }

  /**
   * The classification query over the entries view {@code e} and, if not null, the tier
   * state view {@code t}. Columns: the entry's path, inode, size, mtime, ctime, pool_id,
   * excluded_by (first exclude rule, or null), rule_index (first rule whose pool and
   * condition match, or null), condition_index (first rule whose condition matches, pool
   * aside), migrated, too_new, weight. Only files (type 'f') that some rule's condition
   * matches are returned.
   */
  String classify(String e, String t) {
    StringBuilder excluded = new StringBuilder("CASE");
    for (int i = 0; i < excludes.size(); i++) {
      excluded.append(" WHEN (").append(excludes.get(i)).append(") THEN '")
          .append(policies.excludes().get(i).name().replace("'", "''")).append("'");
    }
    excluded.append(excludes.isEmpty() ? " WHEN false THEN '' END" : " END");
    StringBuilder rule = new StringBuilder("CASE");
    StringBuilder condition = new StringBuilder("CASE");
    StringBuilder weight = new StringBuilder("CASE rule_index");
    for (int i = 0; i < rules.size(); i++) {
      Policies.Rule r = policies.rules().get(i);
      rule.append(" WHEN pool_id = ").append(policies.pool(r.from()).id()).append(" AND (")
          .append(rules.get(i)).append(") THEN ").append(i);
      condition.append(" WHEN (").append(rules.get(i)).append(") THEN ").append(i);
      weight.append(" WHEN ").append(i).append(" THEN CAST((").append(weights.get(i))
          .append(") AS DOUBLE)");
    }
    long newest = newestAllowed();
    // Conditions name the entry's columns unqualified, so the tier state joins outside.
    String classified = "SELECT path, inode, size, mtime, ctime, pool_id, excluded_by,"
        + " rule_index, condition_index, too_new, " + weight + " END AS weight FROM ("
        + "SELECT *, " + rule + " END AS rule_index FROM ("
        + "SELECT *, " + poolId() + " AS pool_id, " + excluded + " AS excluded_by, "
        + condition + " END AS condition_index,"
        + " (mtime > " + newest + " OR ctime > " + newest + ") AS too_new"
        + " FROM " + e + " WHERE type = 'f'))"
        + " WHERE condition_index IS NOT NULL";
    if (t == null) {
      return "SELECT *, false AS migrated FROM (" + classified + ")";
    }
    return "SELECT c.*, t.path IS NOT NULL AS migrated FROM (" + classified + ") c"
        + " LEFT JOIN " + t + " t ON t.path = c.path AND t.inode = c.inode AND t.size = c.size"
        + " AND t.mtime = c.mtime";
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
