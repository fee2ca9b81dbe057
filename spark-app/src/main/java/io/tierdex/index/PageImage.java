package io.tierdex.index;

import io.tierdex.sqlite.SqliteFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The database file being built, page by page, in one reusable buffer: the template's
 * pages first (their bytes stay the template's except the roots the table builders
 * overwrite, and the page count), then the pages appended for this directory.
 */
final class PageImage {
  /** Keep up to this much buffer between directories; a huge one is given back. */
  private static final int RETAIN_BYTES = 4 << 20;
  /** The largest Java array; a directory needing more cannot be returned as one image. */
  private static final long MAX_BYTES = Integer.MAX_VALUE - 8;

  private final int pageSize;
  private final int templatePages;
  private final byte[] template;
  private byte[] buf;
  private int pages;

  PageImage(DbTemplate template) {
    this.pageSize = template.pageSize();
    this.templatePages = template.pageCount();
    this.template = template.image();
    this.buf = Arrays.copyOf(this.template, this.template.length + 16 * pageSize);
    this.pages = templatePages;
  }

  int pageSize() {
    return pageSize;
  }

  /** Adds a page at the end of the file and returns its number; its bytes are the caller's to write. */
  int append() throws IOException {
    long end = (long) (pages + 1) * pageSize;
    if (end > buf.length) {
      if (end > MAX_BYTES) {
        throw new IOException("the directory's db.db would exceed " + MAX_BYTES + " bytes");
      }
      buf = Arrays.copyOf(buf, (int) Math.min(MAX_BYTES, Math.max(end, 2L * buf.length)));
    }
    return ++pages;
  }

  /** The current buffer; {@link #append} may replace it, so fetch it after appending. */
  byte[] buffer() {
    return buf;
  }

  int offset(int page) {
    return (page - 1) * pageSize;
  }

  /** Copies a whole page's bytes into page number {@code page}. */
  void write(int page, byte[] content) {
    System.arraycopy(content, 0, buf, offset(page), pageSize);
  }

  /**
   * The finished file, with its page count in the header: a view of this image's own
   * buffer (copying 48 KiB per directory cost more than building it), valid until
   * {@link #reset}.
   */
  ByteBuffer finish() {
    SqliteFormat.put4(buf, 28, pages);
    return ByteBuffer.wrap(buf, 0, pages * pageSize).asReadOnlyBuffer();
  }

  /** Drops the appended pages (and a buffer grown far beyond the template). */
  void reset() {
    pages = templatePages;
    if (buf.length > template.length + RETAIN_BYTES) {
      buf = Arrays.copyOf(template, template.length + 16 * pageSize);
    }
  }
}
