package io.tierdex.snapshot;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.function.FlatMapGroupsFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Pairs the added and removed rows of a diff that are one file under a new path. A rename
 * keeps the inode, type, size and mtime; a pair is made only when exactly one removed and
 * one added path share them: a reused inode (a new file) has another mtime, and hard links
 * with several candidates stay added and removed. The changed rows (a few per cent of the
 * entries) are shuffled once, as Spark's binary rows, grouped by that key wherever they
 * were found; modified and replaced rows pass through alone.
 */
final class RenamePairing {
  /** Positions in {@link SnapshotDiff#CHANGES}. */
  private static final int KIND = 0;
  private static final int PATH = 1;
  private static final int DIR = 2;
  private static final int CHANGED = 3;
  private static final int NEW_FIELDS = 4;
  private static final int OLD_PATH = 12;
  private static final int OLD_FIELDS = 13;
  /** Offsets in a side's fields: type, inode, size, mtime, then ctime, mode, uid, gid. */
  private static final int FIELDS = 8;
  private static final int FIRST_NUMBER = 2;

  private RenamePairing() {}

  /** {@code changes} with each rename pair made one RENAMED row. */
  static Dataset<Row> pair(Dataset<Row> changes) {
    return changes.groupByKey((MapFunction<Row, String>) RenamePairing::key, Encoders.STRING())
        .flatMapGroups((FlatMapGroupsFunction<String, Row, Row>) (k, rows) ->
            resolve(rows).iterator(), Encoders.row(SnapshotDiff.CHANGES));
  }

  /** What a rename keeps (type, inode, size, mtime) for added and removed rows; else the path. */
  private static String key(Row r) {
    String kind = r.getString(KIND);
    boolean added = ChangeKind.ADDED.name().equals(kind);
    if (!added && !ChangeKind.REMOVED.name().equals(kind)) {
      return "path\0" + r.getString(PATH);
    }
    int at = added ? NEW_FIELDS : OLD_FIELDS;
    return "file\0" + r.get(at) + "\0" + r.get(at + 1) + "\0" + r.get(at + 2) + "\0"
        + r.get(at + 3);
  }

  private static List<Row> resolve(Iterator<Row> group) {
    List<Row> rows = new ArrayList<>(2);
    Row added = null;
    Row removed = null;
    int adds = 0;
    while (group.hasNext()) {
      Row r = group.next();
      rows.add(r);
      if (ChangeKind.ADDED.name().equals(r.getString(KIND))) {
        added = r;
        adds++;
      } else if (ChangeKind.REMOVED.name().equals(r.getString(KIND))) {
        removed = r;
      }
    }
    return adds == 1 && rows.size() == 2 ? List.of(renamed(added, removed)) : rows;
  }

  /** The added row's path and fields, the removed row's path and fields as {@code old_}. */
  private static Row renamed(Row added, Row removed) {
    Object[] v = new Object[SnapshotDiff.CHANGES.size()];
    v[KIND] = ChangeKind.RENAMED.name();
    v[PATH] = added.get(PATH);
    v[DIR] = added.get(DIR);
    List<String> changed = new ArrayList<>();
    for (int i = 0; i < BucketMerge.NUMBER_NAMES.size(); i++) {
      int f = FIRST_NUMBER + i;
      if (!Objects.equals(added.get(NEW_FIELDS + f), removed.get(OLD_FIELDS + f))) {
        changed.add(BucketMerge.NUMBER_NAMES.get(i));
      }
    }
    v[CHANGED] = changed.toArray(String[]::new);
    for (int i = 0; i < FIELDS; i++) {
      v[NEW_FIELDS + i] = added.get(NEW_FIELDS + i);
      v[OLD_FIELDS + i] = removed.get(OLD_FIELDS + i);
    }
    v[OLD_PATH] = removed.get(PATH);
    return RowFactory.create(v);
  }
}
