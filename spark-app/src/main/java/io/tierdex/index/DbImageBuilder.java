package io.tierdex.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds database files from an empty template without SQLite: a few of the template's
 * tables get rows (each bulk-loaded by a {@link TableTreeBuilder} into pages appended
 * to the file, its top node at the table's root page), every other page keeps the
 * template's bytes. The header's change counter, version-valid-for number and library
 * version stay the template's, which is what a committed SQLite write leaves there; only
 * the page count changes, so the in-header database size stays valid.
 *
 * <p>This replaces inserting through an in-memory SQLite database and serializing it,
 * which cost several times more CPU per directory. One builder per thread, reused file
 * after file.
 */
final class DbImageBuilder {
  private final PageImage image;
  private final Map<String, TableTreeBuilder> tables = new LinkedHashMap<>();

  /** A builder that can fill the named tables of {@code template}. */
  DbImageBuilder(DbTemplate template, String... tableNames) {
    this.image = new PageImage(template);
    for (String name : tableNames) {
      tables.put(name, new TableTreeBuilder(image, template.rootPage(name),
          template.usableSize()));
    }
  }

  /** The builder for one of the tables named at construction. */
  TableTreeBuilder table(String name) {
    TableTreeBuilder t = tables.get(name);
    if (t == null) {
      throw new IllegalArgumentException("not a table this builder fills: " + name);
    }
    return t;
  }

  /** Returns the finished file, valid until {@link #reset} starts the next one. */
  ByteBuffer finish() throws IOException {
    try {
      for (TableTreeBuilder t : tables.values()) {
        t.finish();
      }
      return image.finish();
    } catch (IOException | RuntimeException e) {
      reset();
      throw e;
    }
  }

  /** Drops every row added since the last finish. */
  void reset() {
    for (TableTreeBuilder t : tables.values()) {
      t.reset();
    }
    image.reset();
  }
}
