package io.tierdex.policy;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.util.CollectionAccumulator;

/**
 * The passes over one partition of the sorted classification: {@link #cut} finds where a
 * rule's budget runs out in it; {@link #plan} turns its selected files into plan rows
 * (rank, bin) and keeps each rule's largest selected files.
 */
final class PlanPass {
  private static final int C_RULE = CompiledPolicies.RULE;
  private static final int C_VERDICT = CompiledPolicies.VERDICT;
  private static final int C_SIZE = CompiledPolicies.SIZE;
  private static final int SELECTABLE = Verdict.SELECTABLE.code();

  /** One of a rule's largest selected files, as a task reports it. */
  record Largest(int rule, long size, String path) implements Serializable {}

  /** Largest size first, then path: the order the ten largest are listed in. */
  static final Comparator<Largest> LARGEST_FIRST = Comparator.comparingLong(Largest::size)
      .reversed().thenComparing(Largest::path);

  private PlanPass() {}

  /** Rule {@code rule}'s candidates in one partition that fit {@code left}, in rank order. */
  static Function2<Integer, Iterator<InternalRow>, Iterator<RuleCuts.Cut>> cut(int rule,
      RuleCuts.Budget left) {
    return (partition, rows) -> {
      long files = 0;
      long bytes = 0;
      Map<Long, Long> classes = new HashMap<>();
      while (rows.hasNext()) {
        InternalRow r = rows.next();
        int at = r.getInt(C_RULE);
        if (at > rule) {
          break;
        }
        if (at < rule || r.getInt(C_VERDICT) != SELECTABLE) {
          continue;
        }
        long size = r.getLong(C_SIZE);
        if (files + 1 > left.files() || bytes + size > left.bytes()
            || bytes >= left.freeable()) {
          break;
        }
        files++;
        bytes += size;
        classes.merge(BinDealer.key(rule, BinDealer.sizeClass(size)), 1L, Long::sum);
      }
      return List.of(new RuleCuts.Cut(files, bytes, classes)).iterator();
    };
  }

  /**
   * The plan rows ({@link Planner#PLAN}) of each partition: {@code plans} says per
   * partition how many of each rule's candidates are selected and where they rank and
   * deal; {@code largest} collects, per task, each rule's {@code keep} largest.
   */
  static Function2<Integer, Iterator<InternalRow>, Iterator<InternalRow>> plan(
      Broadcast<List<RuleCuts.PartitionPlan>> plans, UTF8String[] names, UTF8String[] froms,
      UTF8String[] tos, int bins, int keep, CollectionAccumulator<Largest> largest) {
    return (partition, rows) -> {
      RuleCuts.PartitionPlan plan = plans.value().get(partition);
      // Rows are sorted when first read: a range past every rule's cut is never read.
      return Arrays.stream(plan.selected()).sum() == 0 ? Collections.emptyIterator()
          : planRows(plan, rows, names, froms, tos, bins, keep, largest);
    };
  }

  private static Iterator<InternalRow> planRows(RuleCuts.PartitionPlan plan,
      Iterator<InternalRow> rows, UTF8String[] names, UTF8String[] froms, UTF8String[] tos,
      int bins, int keep, CollectionAccumulator<Largest> largest) {
    return new Iterator<>() {
      final long[] taken = new long[names.length];
      final Map<Long, Long> dealt = new HashMap<>();
      final List<PriorityQueue<Largest>> top = new ArrayList<>();
      long remaining = Arrays.stream(plan.selected()).sum();
      InternalRow next;
      boolean reported;

      @Override
      public boolean hasNext() {
        while (next == null && remaining > 0 && rows.hasNext()) {
          next = toPlanRow(rows.next());
        }
        if (next == null && !reported) {
          reported = true;
          top.forEach(q -> q.forEach(largest::add));
        }
        return next != null;
      }

      @Override
      public InternalRow next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        InternalRow r = next;
        next = null;
        return r;
      }

      private InternalRow toPlanRow(InternalRow r) {
        int rule = r.getInt(C_RULE);
        if (r.getInt(C_VERDICT) != SELECTABLE || taken[rule] >= plan.selected()[rule]) {
          return null;
        }
        long rank = plan.rankBase()[rule] + ++taken[rule];
        remaining--;
        long size = r.getLong(C_SIZE);
        long key = BinDealer.key(rule, BinDealer.sizeClass(size));
        long seq = plan.dealBase().get(key) + dealt.merge(key, 1L, Long::sum) - 1;
        // The path's bytes go from the sorted row to the plan row as they are: no string is
        // decoded unless it is among the rule's largest so far.
        UTF8String path = r.getUTF8String(CompiledPolicies.PATH).clone();
        offer(rule, size, path);
        return new GenericInternalRow(new Object[] {path, copy(r, CompiledPolicies.INODE), size,
            boxed(r, CompiledPolicies.MTIME), boxed(r, CompiledPolicies.CTIME), names[rule],
            froms[rule], tos[rule],
            r.isNullAt(CompiledPolicies.WEIGHT) ? null : r.getDouble(CompiledPolicies.WEIGHT),
            rank, BinDealer.bin(seq, bins)});
      }

      private void offer(int rule, long size, UTF8String path) {
        while (top.size() <= rule) {
          top.add(new PriorityQueue<>(LARGEST_FIRST.reversed()));
        }
        PriorityQueue<Largest> q = top.get(rule);
        if (q.size() < keep || size >= q.peek().size()) {
          offer(new Largest(rule, size, path.toString()));
        }
      }

      private void offer(Largest l) {
        while (top.size() <= l.rule()) {
          top.add(new PriorityQueue<>(LARGEST_FIRST.reversed()));
        }
        PriorityQueue<Largest> q = top.get(l.rule());
        q.add(l);
        if (q.size() > keep) {
          q.poll();
        }
      }
    };
  }

  private static UTF8String copy(InternalRow r, int i) {
    return r.isNullAt(i) ? null : r.getUTF8String(i).clone();
  }

  private static Long boxed(InternalRow r, int i) {
    return r.isNullAt(i) ? null : r.getLong(i);
  }
}
