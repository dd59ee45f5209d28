package io.sparkstaging.server.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Who may upload: anyone ({@code none}), the holders of one shared token given directly or in a
 * file ({@code token}), or Kubernetes users allowed to create pods in the owner's namespace ({@code kubernetes}).
 */
public record UploadAuthConfig(Mode mode, Optional<String> token, Optional<Path> tokenFile) {
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
