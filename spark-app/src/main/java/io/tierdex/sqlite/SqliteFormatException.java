package io.tierdex.sqlite;

import java.io.IOException;

/** A db.db whose bytes are not a SQLite database this reader can decode. */
public class SqliteFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public SqliteFormatException(String problem) {
    super(problem);
  }

  /** A valid file using a feature the Java decoder leaves to SQLite. */
  public static final class Unsupported extends SqliteFormatException {
    private static final long serialVersionUID = 1L;

    Unsupported(String feature) {
      super(feature + " (not decoded in Java)");
    }
  }
}
