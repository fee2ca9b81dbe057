package io.tierdex.policy;

/**
 * A policy file that cannot be used as written. The message names the file, the line, the
 * rule when there is one, what is wrong and how to fix it.
 */
public final class PolicyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PolicyException(String message) {
    super(message);
  }

  /** {@code file:line: rule 'name': problem} ({@code where} null when not in a rule). */
  static PolicyException at(String file, int line, String where, String problem) {
    return new PolicyException(file + ":" + line + ": " + (where == null ? "" : where + ": ")
        + problem);
  }
}
