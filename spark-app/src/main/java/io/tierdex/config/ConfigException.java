package io.tierdex.config;

/** A configuration that cannot be used: the message names the file, the key and the fix. */
public final class ConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}
