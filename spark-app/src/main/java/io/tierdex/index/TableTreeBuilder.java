package io.tierdex.index;

import static io.tierdex.sqlite.SqliteFormat.INTERIOR_HEADER;
import static io.tierdex.sqlite.SqliteFormat.INTERIOR_TABLE;
import static io.tierdex.sqlite.SqliteFormat.LEAF_HEADER;
import static io.tierdex.sqlite.SqliteFormat.LEAF_TABLE;
import static io.tierdex.sqlite.SqliteFormat.put2;
import static io.tierdex.sqlite.SqliteFormat.put4;
import static io.tierdex.sqlite.SqliteFormat.putVarint;
import static io.tierdex.sqlite.SqliteFormat.varintLength;

import io.tierdex.sqlite.SqliteFormat;
import java.io.IOException;
import java.util.Arrays;

/**
 * Bulk-loads one table b-tree whose rows get rowids 1..n in the order they are added,
 * as SQLite's own appends would number them. Rows fill leaf pages front to back; a full
 * leaf is written out to a page appended to the file at once, so only one leaf per
 * table is held in memory. At {@link #finish} the interior levels are built over the
 * leaves, and the top node (or the only leaf) goes to the table's fixed root page.
 *
 * <p>Pages are laid out as SQLite lays out a page it has only appended to: cell
 * content from the end of the page downward, the cell pointer array in rowid order, no
 * freeblocks, no fragmented bytes, every unused byte zero.
 */
final class TableTreeBuilder {
  private final PageImage image;
  private final int root;
  private final int usable;
  /** The page being filled (leaf while rows arrive, then scratch for interior pages). */
  private final byte[] page;
  private int cells;
  private int contentStart;
  private long rowid;
  /** {@code page[zeroFrom, zeroTo)} is known to be zero, so sealing a page zeroes only the rest. */
  private int zeroFrom;
  private int zeroTo;
  /** Finished leaves, then each interior level: page number and largest rowid below. */
  private int[] childPages = new int[16];
  private long[] childKeys = new long[16];
  private int children;

  TableTreeBuilder(PageImage image, int root, int usableSize) {
    this.image = image;
    this.root = root;
    this.usable = usableSize;
    this.page = new byte[image.pageSize()];
    this.contentStart = usable;
    this.zeroFrom = 0;
    this.zeroTo = usable;
  }

  /** Appends the row {@code record} has just encoded. */
  void add(RecordEncoder record) throws IOException {
    int length = record.end();
    add(record.record(), length);
  }

  /** Appends one row whose record is {@code payload[0, length)}. */
  void add(byte[] payload, int length) throws IOException {
    long id = rowid + 1;
    int local = SqliteFormat.localPayload(length, usable);
    int cellSize = varintLength(length) + varintLength(id) + local + (local < length ? 4 : 0);
    if (LEAF_HEADER + 2 * (cells + 1) + cellSize > contentStart) {
      appendLeaf(); // localPayload keeps any cell small enough for an empty leaf
    }
    int overflow = local < length ? writeOverflow(payload, local, length) : 0;
    int at = contentStart - cellSize;
    int p = at;
    p += putVarint(page, p, length);
    p += putVarint(page, p, id);
    System.arraycopy(payload, 0, page, p, local);
    if (overflow != 0) {
      put4(page, p + local, overflow);
    }
    put2(page, LEAF_HEADER + 2 * cells, at);
    contentStart = at;
    cells++;
    rowid = id;
  }

  /** Writes the tree's remaining pages into the image and starts over empty. */
  void finish() throws IOException {
    try {
      if (children == 0) {
        sealLeaf();
        image.write(root, page);
        return;
      }
      appendLeaf();
      buildInteriorLevels();
    } finally {
      reset();
    }
  }

  /** Forgets every row added since the last finish (pages already appended are the image's to drop). */
  void reset() {
    // Cells of a dropped leaf lie in what the zero run claims: shrink it to the dropped gap.
    zeroFrom = Math.max(zeroFrom, LEAF_HEADER + 2 * cells);
    zeroTo = Math.max(zeroFrom, Math.min(zeroTo, contentStart));
    cells = 0;
    contentStart = usable;
    rowid = 0;
    children = 0;
    if (childPages.length > 4096) { // a huge directory's leaf list is not kept for the next
      childPages = new int[16];
      childKeys = new long[16];
    }
  }

  private void appendLeaf() throws IOException {
    sealLeaf();
    int number = image.append();
    image.write(number, page);
    addChild(number, rowid);
    cells = 0;
    contentStart = usable;
  }

  /** Completes the leaf header and zeroes the gap between the pointers and the cells. */
  private void sealLeaf() {
    int pointersEnd = LEAF_HEADER + 2 * cells;
    page[0] = LEAF_TABLE;
    put2(page, 1, 0); // no freeblocks
    put2(page, 3, cells);
    put2(page, 5, contentStart); // 65536 wraps to 0, which is how the format spells it
    page[7] = 0; // no fragmented bytes
    zeroGap(pointersEnd, contentStart);
  }

  /**
   * Zeroes {@code page[from, to)}, the unused middle of the page, skipping the part
   * known to be zero already: cells and pointers are written only outside the gap, so
   * whatever was zero in the last gap and lies in this one still is.
   */
  private void zeroGap(int from, int to) {
    int cleanFrom = Math.max(zeroFrom, from);
    int cleanTo = Math.min(zeroTo, to);
    if (cleanFrom >= cleanTo) {
      Arrays.fill(page, from, to, (byte) 0);
    } else {
      Arrays.fill(page, from, cleanFrom, (byte) 0);
      Arrays.fill(page, cleanTo, to, (byte) 0);
    }
    zeroFrom = from;
    zeroTo = to;
  }

  /**
   * Spills {@code payload[local, length)} into a chain of appended overflow pages (each
   * a 4-byte next-page number, then content) and returns the first page's number.
   */
  private int writeOverflow(byte[] payload, int local, int length) throws IOException {
    int perPage = usable - 4;
    int first = image.append();
    int current = first;
    for (int from = local; from < length; ) {
      int n = Math.min(perPage, length - from);
      int next = from + n < length ? image.append() : 0;
      byte[] buf = image.buffer();
      int off = image.offset(current);
      put4(buf, off, next);
      System.arraycopy(payload, from, buf, off + 4, n);
      Arrays.fill(buf, off + 4 + n, off + image.pageSize(), (byte) 0);
      from += n;
      current = next;
    }
    return first;
  }

  /**
   * Builds interior pages level by level over {@code children} nodes until one node is
   * left, which is written to the root page. Nodes are spread evenly over each level's
   * pages, so no interior page is left with a single child and no cell.
   */
  private void buildInteriorLevels() throws IOException {
    while (children > 1) {
      int keyBytes = varintLength(childKeys[children - 1]); // the level's largest key
      int cellsPerPage = (usable - INTERIOR_HEADER) / (2 + 4 + keyBytes);
      int pagesAtLevel = (children + cellsPerPage) / (cellsPerPage + 1); // ceil(n / fanout)
      int parents = 0;
      int start = 0;
      for (int i = 0; i < pagesAtLevel; i++) {
        int count = children / pagesAtLevel + (i < children % pagesAtLevel ? 1 : 0);
        int number = pagesAtLevel == 1 ? root : image.append();
        writeInterior(number, start, count);
        // In place: parent i is stored behind the children already consumed.
        childPages[parents] = number;
        childKeys[parents] = childKeys[start + count - 1];
        parents++;
        start += count;
      }
      children = parents;
    }
  }

  /** One interior page over children {@code [start, start + count)}; the last is the right-most pointer. */
  private void writeInterior(int number, int start, int count) {
    int top = usable;
    for (int i = 0; i < count - 1; i++) {
      int size = 4 + varintLength(childKeys[start + i]);
      top -= size;
      put4(page, top, childPages[start + i]);
      putVarint(page, top + 4, childKeys[start + i]);
      put2(page, INTERIOR_HEADER + 2 * i, top);
    }
    page[0] = INTERIOR_TABLE;
    put2(page, 1, 0);
    put2(page, 3, count - 1);
    put2(page, 5, top);
    page[7] = 0;
    put4(page, 8, childPages[start + count - 1]);
    zeroGap(INTERIOR_HEADER + 2 * (count - 1), top);
    image.write(number, page);
  }

  private void addChild(int number, long maxKey) {
    if (children == childPages.length) {
      childPages = Arrays.copyOf(childPages, children * 2);
      childKeys = Arrays.copyOf(childKeys, children * 2);
    }
    childPages[children] = number;
    childKeys[children] = maxKey;
    children++;
  }
}
