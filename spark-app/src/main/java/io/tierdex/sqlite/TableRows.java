package io.tierdex.sqlite;

import java.io.IOException;

/**
 * Walks one table b-tree of a SQLite file in rowid order, a cell at a time. Corrupt
 * structure (a page that is not a table page, a cell outside its page, a cycle) raises
 * {@link SqliteFormatException} naming the file and page.
 */
public final class TableRows implements AutoCloseable {
  private static final int MAX_DEPTH = 64;

  private final SqlitePages pages;
  private final SqlitePages.Page[] stack = new SqlitePages.Page[MAX_DEPTH];
  /** Per level: the next cell to visit (== cell count means the right-most child). */
  private final int[] next = new int[MAX_DEPTH];
  private int depth = -1;
  private final SqliteRecord record;

  public TableRows(SqlitePages pages, int root) throws IOException {
    this.pages = pages;
    this.record = new SqliteRecord(pages);
    push(root);
  }

  /** Moves to the next row; false at the end of the table. */
  public boolean next() throws IOException {
    while (depth >= 0) {
      SqlitePages.Page p = stack[depth];
      int header = p.number() == 1 ? SqliteFormat.FILE_HEADER : 0;
      int cells = p.u16(header + 3);
      int i = next[depth]++;
      if (p.u8(header) == SqliteFormat.LEAF_TABLE) {
        if (i < cells) {
          record.load(p, cellOffset(p, header + 8, i));
          return true;
        }
        depth--;
      } else if (i < cells) {
        push(p.u32(cellOffset(p, header + 12, i)));
      } else if (i == cells) {
        push(p.u32(header + 8));
      } else {
        depth--;
      }
    }
    return false;
  }

  public SqliteRecord record() {
    return record;
  }

  private int cellOffset(SqlitePages.Page p, int pointers, int i) throws SqliteFormatException {
    int off = p.u16(pointers + 2 * i);
    if (off < pointers || off >= p.bytes().length - p.base() || off >= pages.usable()) {
      throw corrupt(p, "cell " + i + " points outside the page");
    }
    return off;
  }

  private void push(long pageNumber) throws IOException {
    if (depth + 1 >= MAX_DEPTH) {
      throw new SqliteFormatException("b-tree too deep at page " + pageNumber);
    }
    SqlitePages.Page p = pages.page(pageNumber);
    int type = p.u8(p.number() == 1 ? SqliteFormat.FILE_HEADER : 0);
    if (type != SqliteFormat.LEAF_TABLE && type != SqliteFormat.INTERIOR_TABLE) {
      throw corrupt(p, "not a table b-tree page (type " + type + ")");
    }
    for (int d = 0; d <= depth; d++) {
      if (stack[d].number() == p.number()) {
        throw corrupt(p, "b-tree cycle");
      }
    }
    stack[++depth] = p;
    next[depth] = 0;
  }

  private SqliteFormatException corrupt(SqlitePages.Page p, String what) {
    return new SqliteFormatException(what + " (page " + p.number() + ")");
  }

  @Override
  public void close() {
    depth = -1;
  }
}
