package io.tierdex.policy;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * One partition of the sorted classification, counted: files and bytes per rule and
 * verdict, and selectable files per rule and size class. The driver turns these into each
 * partition's offsets (a distributed running count), so ranks and running byte totals
 * need no single-task window.
 *
 * @param files per {@code rule * verdicts + verdict}
 * @param bytes likewise
 * @param classes selectable files per {@link BinDealer#key}
 */
record PartitionCounts(int partition, long[] files, long[] bytes, Map<Long, Long> classes)
    implements Serializable {
  private static final int VERDICTS = Verdict.values().length;

  long files(int rule, Verdict v) {
    return files[rule * VERDICTS + v.code()];
  }

  long bytes(int rule, Verdict v) {
    return bytes[rule * VERDICTS + v.code()];
  }

  /** Counts each partition of classification rows over {@code rules} rules. */
  static Function2<Integer, Iterator<InternalRow>, Iterator<PartitionCounts>> counter(
      int rules) {
    return (partition, rows) -> {
      long[] files = new long[rules * VERDICTS];
      long[] bytes = new long[rules * VERDICTS];
      Map<Long, Long> classes = new HashMap<>();
      while (rows.hasNext()) {
        InternalRow r = rows.next();
        int rule = r.getInt(CompiledPolicies.RULE);
        int verdict = r.getInt(CompiledPolicies.VERDICT);
        long size = r.getLong(CompiledPolicies.SIZE);
        files[rule * VERDICTS + verdict]++;
        bytes[rule * VERDICTS + verdict] += size;
        if (verdict == Verdict.SELECTABLE.code()) {
          classes.merge(BinDealer.key(rule, BinDealer.sizeClass(size)), 1L, Long::sum);
        }
      }
      return List.of(new PartitionCounts(partition, files, bytes, classes)).iterator();
    };
  }
}
