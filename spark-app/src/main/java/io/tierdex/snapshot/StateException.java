package io.tierdex.snapshot;

/** Something in the state directory is missing or broken; the message names it and the fix. */
public final class StateException extends RuntimeException {
  public StateException(String message) {
    super(message);
  }

  public StateException(String message, Throwable cause) {
    super(message, cause);
  }
}
