package io.tierdex.snapshot;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Merges one bucket of the older snapshot with the same bucket of the newer one, both
 * sorted by path, straight from Parquet's column batches: one pass, no row objects for
 * the unchanged majority. Emits a {@link SnapshotDiff#CHANGES} row for every path that
 * was added, removed, modified or replaced; renames are paired later, across buckets.
 * Columns of both sides, in order: {@link SnapshotTable#COMPARED}.
 */
final class BucketMerge implements Iterator<Row> {
  private static final int PATH = 0;
  private static final int TYPE = 1;
  private static final int INODE = 2;
  /** size, mtime, ctime, mode, uid, gid: compared as numbers, named in {@code changed}. */
  private static final int FIRST_NUMBER = 3;
  static final List<String> NUMBER_NAMES = List.of("size", "mtime", "ctime", "mode", "uid", "gid");

  private final Side old;
  private final Side current;
  private Row next;

  BucketMerge(Iterator<ColumnarBatch> old, Iterator<ColumnarBatch> current, String oldWhere,
      String newWhere) {
    this.old = new Side(old, oldWhere);
    this.current = new Side(current, newWhere);
  }

  @Override
  public boolean hasNext() {
    while (next == null && (old.valid() || current.valid())) {
      next = step();
    }
    return next != null;
  }

  @Override
  public Row next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Row r = next;
    next = null;
    return r;
  }

  /** Advances past one path; returns its change row, or null when it did not change. */
  private Row step() {
    int c = !old.valid() ? 1 : !current.valid() ? -1 : old.path().binaryCompare(current.path());
    Row out;
    if (c < 0) {
      out = change(ChangeKind.REMOVED, old, null, null);
      old.advance();
    } else if (c > 0) {
      out = change(ChangeKind.ADDED, null, current, null);
      current.advance();
    } else {
      if (!old.text(TYPE).equals(current.text(TYPE))
          || !old.text(INODE).equals(current.text(INODE))) {
        out = change(ChangeKind.REPLACED, old, current, changed());
      } else {
        List<String> changed = changed();
        out = changed.isEmpty() ? null : change(ChangeKind.MODIFIED, old, current, changed);
      }
      old.advance();
      current.advance();
    }
    return out;
  }

  private List<String> changed() {
    List<String> names = null;
    for (int i = 0; i < NUMBER_NAMES.size(); i++) {
      if (!old.sameNumber(current, FIRST_NUMBER + i)) {
        if (names == null) {
          names = new ArrayList<>(2);
        }
        names.add(NUMBER_NAMES.get(i));
      }
    }
    return names == null ? List.of() : names;
  }

  /** A row of {@link SnapshotDiff#CHANGES}; the path is the newer side's, if there is one. */
  private static Row change(ChangeKind kind, Side o, Side n, List<String> changed) {
    Side about = n != null ? n : o;
    String path = about.path().toString();
    int slash = path.lastIndexOf('/');
    Object[] v = new Object[SnapshotDiff.CHANGES.size()];
    v[0] = kind.name();
    v[1] = path;
    v[2] = slash > 0 ? path.substring(0, slash) : "/";
    v[3] = changed == null ? null : changed.toArray(String[]::new);
    if (n != null) {
      n.copyTo(v, 4);
    }
    // v[12], old_path, is only set for renames.
    if (o != null) {
      o.copyTo(v, 13);
    }
    return RowFactory.create(v);
  }

  /** One side's cursor over its batches; batch buffers are reused, so values are read in place. */
  private static final class Side {
    private final Iterator<ColumnarBatch> batches;
    private final String where;
    private ColumnarBatch batch;
    private ColumnVector[] cols;
    private int row = -1;
    private int rows;
    /** The current row's path, read once per row: the merge compares it, the order check too. */
    private UTF8String path;

    Side(Iterator<ColumnarBatch> batches, String where) {
      this.batches = batches;
      this.where = where;
      advance();
    }

    boolean valid() {
      return batch != null;
    }

    UTF8String path() {
      return path;
    }

    UTF8String text(int col) {
      UTF8String s = cols[col].isNullAt(row) ? null : cols[col].getUTF8String(row);
      return s == null ? UTF8String.EMPTY_UTF8 : s;
    }

    boolean sameNumber(Side other, int col) {
      ColumnVector a = cols[col];
      ColumnVector b = other.cols[col];
      boolean an = a.hasNull() && a.isNullAt(row);
      boolean bn = b.hasNull() && b.isNullAt(other.row);
      return an || bn ? an == bn : a.getLong(row) == b.getLong(other.row);
    }

    void copyTo(Object[] v, int at) {
      for (int i = 1; i < SnapshotTable.COMPARED.size(); i++) {
        ColumnVector c = cols[i];
        int slot = at + i - 1;
        if (c.isNullAt(row)) {
          v[slot] = null;
        } else if (i == TYPE || i == INODE) {
          v[slot] = c.getUTF8String(row).toString();
        } else {
          v[slot] = c.getLong(row);
        }
      }
    }

    /** Moves to the next row, checking paths rise strictly (a bad merge would be silent). */
    void advance() {
      if (batch != null && row + 1 < rows) {
        UTF8String previous = path;
        path = cols[PATH].getUTF8String(++row);
        checkOrder(previous);
        return;
      }
      UTF8String previous = batch == null ? null : path.clone(); // the batch gets overwritten
      batch = null;
      path = null;
      while (batches.hasNext()) {
        ColumnarBatch b = batches.next();
        if (b.numRows() > 0) {
          batch = b;
          rows = b.numRows();
          row = 0;
          cols = new ColumnVector[SnapshotTable.COMPARED.size()];
          for (int i = 0; i < cols.length; i++) {
            cols[i] = b.column(i);
          }
          path = cols[PATH].getUTF8String(0);
          checkOrder(previous);
          return;
        }
      }
    }

    private void checkOrder(UTF8String previous) {
      if (previous != null && previous.binaryCompare(path) >= 0) {
        throw new StateException(where + ": paths are not in strictly increasing order ('"
            + previous + "' before '" + path + "'); this snapshot was not written by tierdex"
            + " snapshot, or its files were changed since. Take a new snapshot.");
      }
    }
  }
}
