package io.tierdex.policy;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where each rule's selection ends, worked out on the driver from the partitions' counts.
 * The classification is sorted by rule, then weight, so a rule's candidates run in order
 * through consecutive partitions, and its limits and thresholds keep a prefix of them: all
 * of the partitions before the one where a limit is crossed, none after, and in that one
 * partition as many as a scan of it finds ({@link Scanner}). Low thresholds count what the
 * earlier rules from the same pool selected.
 */
final class RuleCuts {
  /** What to keep of a rule: at most this many files, bytes, and bytes before a file. */
  record Budget(long files, long bytes, long freeable) implements Serializable {}

  /** How many of a rule's candidates in one partition pass its budget, their bytes and classes. */
  record Cut(long files, long bytes, Map<Long, Long> classes) implements Serializable {}

  /** Scans one partition for a rule's cut, with the budget left at the partition's start. */
  interface Scanner {
    Cut scan(int rule, int partition, Budget left);
  }

  /**
   * What the final pass needs in one partition, per rule: the rank of the rule's first
   * candidate here less one, how many of its candidates here are selected, and per
   * {@link BinDealer#key} the position in the bin dealing of the first such file here.
   */
  record PartitionPlan(long[] rankBase, long[] selected, Map<Long, Long> dealBase)
      implements Serializable {}

  /** Per rule the files and bytes selected; per partition its plan. */
  record Result(long[] files, long[] bytes, List<PartitionPlan> partitions) {}

  private RuleCuts() {}

  /**
   * Cuts every rule: {@code budgets} per rule (null for a rule that selects nothing);
   * {@code pools} per rule its source pool, whose low thresholds share what is selected.
   */
  static Result cut(List<PartitionCounts> counts, Budget[] budgets, String[] pools,
      Scanner scanner) {
    int rules = budgets.length;
    int n = counts.size();
    long[][] rankBase = new long[n][rules];
    long[][] selected = new long[n][rules];
    List<Map<Long, Long>> classes = new ArrayList<>();
    for (int p = 0; p < n; p++) {
      classes.add(new HashMap<>());
    }
    long[] files = new long[rules];
    long[] bytes = new long[rules];
    Map<String, Long> poolFreed = new HashMap<>();
    for (int r = 0; r < rules; r++) {
      Budget b = budgets[r];
      long freed = poolFreed.getOrDefault(pools[r], 0L);
      long freeable = b == null || b.freeable() == Long.MAX_VALUE ? Long.MAX_VALUE
          : b.freeable() - freed;
      long filesBefore = 0;
      long bytesBefore = 0;
      boolean done = b == null || b.files() <= 0 || b.bytes() <= 0 || freeable <= 0;
      for (int p = 0; p < n; p++) {
        PartitionCounts c = counts.get(p);
        Map<Long, Long> into = classes.get(p);
        long here = c.files(r, Verdict.SELECTABLE);
        long hereBytes = c.bytes(r, Verdict.SELECTABLE);
        rankBase[p][r] = filesBefore;
        if (!done && here > 0) {
          long filesAfter = filesBefore + here;
          long bytesAfter = bytesBefore + hereBytes;
          if (filesAfter >= b.files() || bytesAfter > b.bytes() || bytesAfter >= freeable) {
            Cut cut = scanner.scan(r, p, new Budget(b.files() - filesBefore,
                b.bytes() == Long.MAX_VALUE ? Long.MAX_VALUE : b.bytes() - bytesBefore,
                freeable == Long.MAX_VALUE ? Long.MAX_VALUE : freeable - bytesBefore));
            selected[p][r] = cut.files();
            files[r] += cut.files();
            bytes[r] += cut.bytes();
            cut.classes().forEach((k, v) -> into.merge(k, v, Long::sum));
            done = true;
          } else {
            selected[p][r] = here;
            files[r] += here;
            bytes[r] += hereBytes;
            int rule = r;
            c.classes().forEach((k, v) -> {
              if (BinDealer.rule(k) == rule) {
                into.merge(k, v, Long::sum);
              }
            });
          }
        }
        filesBefore += here;
        bytesBefore += hereBytes;
      }
      poolFreed.merge(pools[r], bytes[r], Long::sum);
    }
    List<Map<Long, Long>> deal = dealBases(classes);
    List<PartitionPlan> plans = new ArrayList<>();
    for (int p = 0; p < n; p++) {
      plans.add(new PartitionPlan(rankBase[p], selected[p], deal.get(p)));
    }
    return new Result(files, bytes, plans);
  }

  /**
   * The dealing order is size class (largest first), then rule, then partition, then the
   * order within the partition: per partition, where each rule and class starts.
   */
  private static List<Map<Long, Long>> dealBases(List<Map<Long, Long>> classes) {
    // Per size class, largest first, per rule in order: the files selected.
    TreeMap<Integer, TreeMap<Integer, Long>> totals = new TreeMap<>();
    for (Map<Long, Long> m : classes) {
      m.forEach((k, v) -> totals.computeIfAbsent(BinDealer.sizeClassOf(k), x -> new TreeMap<>())
          .merge(BinDealer.rule(k), v, Long::sum));
    }
    Map<Long, Long> start = new HashMap<>();
    long at = 0;
    for (var byClass : totals.descendingMap().entrySet()) {
      for (var byRule : byClass.getValue().entrySet()) {
        start.put(BinDealer.key(byRule.getKey(), byClass.getKey()), at);
        at += byRule.getValue();
      }
    }
    List<Map<Long, Long>> out = new ArrayList<>();
    for (Map<Long, Long> m : classes) {
      Map<Long, Long> here = new HashMap<>();
      m.forEach((k, v) -> {
        here.put(k, start.get(k));
        start.merge(k, v, Long::sum);
      });
      out.add(here);
    }
    return out;
  }
}
