package io.sparkstaging.common.config;

/** A setting that cannot work; the message names the setting so the operator can fix it in one try. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
