package io.sparkstaging.submit.stage;

import io.sparkstaging.common.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The upload token for a server with {@code --upload-auth token}: given directly or, better, in a file. */
public final class UploadToken {
  private UploadToken() {}

  public static Optional<String> of(String token, Path file) {
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
}
