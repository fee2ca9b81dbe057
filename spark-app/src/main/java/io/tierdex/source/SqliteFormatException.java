package io.tierdex.source;

import java.io.IOException;

/** A db.db whose bytes are not a SQLite database this reader can decode. */
class SqliteFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  SqliteFormatException(String problem) {
    super(problem);
  }

  /** A valid file using a feature the Java decoder leaves to SQLite. */
  static final class Unsupported extends SqliteFormatException {
    private static final long serialVersionUID = 1L;

    Unsupported(String feature) {
      super(feature + " (read through SQLite)");
    }
  }
}
