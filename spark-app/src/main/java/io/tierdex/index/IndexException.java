package io.tierdex.index;

/** A problem the user can fix, with a message that names the thing and the fix. */
public final class IndexException extends Exception {
  private static final long serialVersionUID = 1L;
  private final boolean usage;

  private IndexException(String message, boolean usage) {
    super(message);
    this.usage = usage;
  }

  /** Bad arguments: exit code 2. */
  static IndexException usage(String message) {
    return new IndexException(message, true);
  }

  /** The run could not be done: exit code 1. */
  static IndexException failed(String message) {
    return new IndexException(message, false);
  }

  public boolean isUsageError() {
    return usage;
  }
}
