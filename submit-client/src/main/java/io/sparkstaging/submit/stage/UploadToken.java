package io.sparkstaging.submit.stage;

import io.fabric8.kubernetes.client.Config;
import io.sparkstaging.common.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The credential sent with uploads: a shared token for a server with {@code --upload-auth token},
 * given directly or in a file, or the user's own Kubernetes token for {@code --upload-auth kubernetes}.
 */
public final class UploadToken {
  private UploadToken() {}

  /** @param kubernetes the user's Kubernetes credentials, when asked to send them instead of a token */
  public static Optional<String> of(String token, Path file, Optional<Config> kubernetes) {
    if (kubernetes.isPresent()) {
      if (token != null || file != null) {
        throw new ConfigException("give --upload-kubernetes-token or an upload token, not both");
      }
      return Optional.of(kubernetesToken(kubernetes.get()));
    }
    if (token != null && file != null) {
      throw new ConfigException("give --upload-token or --upload-token-file, not both");
    }
    if (file == null) {
      return Optional.ofNullable(token);
    }
    try {
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      throw new ConfigException("--upload-token-file: cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static String kubernetesToken(Config config) {
    String token = Optional.ofNullable(config.getOauthToken()).orElse(config.getAutoOAuthToken());
    if (token == null || token.isBlank()) {
      throw new ConfigException("--upload-kubernetes-token: these Kubernetes credentials hold no bearer token (client certificates "
          + "cannot be checked by the staging server); use a token-based context or an upload token");
    }
    return token;
  }
}
