package io.sparkstaging.server.config;

import java.nio.file.Path;
import java.util.Optional;

/** Who may upload: anyone ({@code none}), or the holders of one shared token, given directly or in a file. */
public record UploadAuthConfig(Mode mode, Optional<String> token, Optional<Path> tokenFile) {
  /** The modes; {@code kubernetes} (TokenReview and SubjectAccessReview) is not built yet. */
  public enum Mode {
    none,
    token
  }

  public static UploadAuthConfig none() {
    return new UploadAuthConfig(Mode.none, Optional.empty(), Optional.empty());
  }

  public String describe() {
    return mode == Mode.none ? "none" : "token" + tokenFile.map(file -> " from " + file).orElse("");
  }

  @Override
  public String toString() {
    return "UploadAuthConfig[" + describe() + "]";
  }
}
