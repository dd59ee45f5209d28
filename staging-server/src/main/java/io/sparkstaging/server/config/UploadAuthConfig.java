package io.sparkstaging.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Who may upload: anyone ({@code none}), the holders of one shared token given directly or in a
 * file ({@code token}), or Kubernetes users allowed to create pods in the owner's namespace ({@code kubernetes}).
 *
 * @param maxFailures failed authentications from one address before it is refused for {@code lockout}
 * @param decisionCache how long a Kubernetes user's token review and access decision are reused
 */
public record UploadAuthConfig(Mode mode, Optional<String> token, Optional<Path> tokenFile, int maxFailures, Duration lockout,
    Duration decisionCache) {
  public static final int DEFAULT_MAX_FAILURES = 10;
  public static final Duration DEFAULT_LOCKOUT = Duration.ofMinutes(1);
  public static final Duration DEFAULT_DECISION_CACHE = Duration.ofSeconds(30);

  /** With the default limits. */
  public UploadAuthConfig(Mode mode, Optional<String> token, Optional<Path> tokenFile) {
    this(mode, token, tokenFile, DEFAULT_MAX_FAILURES, DEFAULT_LOCKOUT, DEFAULT_DECISION_CACHE);
  }

  public enum Mode {
    none,
    token,
    kubernetes
  }

  public static UploadAuthConfig none() {
    return new UploadAuthConfig(Mode.none, Optional.empty(), Optional.empty());
  }

  public String describe() {
    return mode == Mode.token ? "token" + tokenFile.map(file -> " from " + file).orElse("") : mode.name();
  }

  @Override
  public String toString() {
    return "UploadAuthConfig[" + describe() + "]";
  }
}
