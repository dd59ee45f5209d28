package io.sparkstaging.submit.cli;

import io.fabric8.kubernetes.client.Config;
import io.sparkstaging.submit.stage.UploadToken;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/** The upload credential options that {@code stage} and {@code submit} share. */
final class UploadCredentialOptions {
  @Option(names = "--upload-token", description = "Upload token for a staging server with --upload-auth token (prefer --upload-token-file).")
  String uploadToken;

  @Option(names = "--upload-token-file", description = "File holding the upload token.")
  Path uploadTokenFile;

  @Option(names = "--upload-kubernetes-token",
      description = "Send your own Kubernetes token with uploads, for a staging server with --upload-auth kubernetes.")
  boolean uploadKubernetesToken;

  /** @param kubernetes the credentials whose token {@code --upload-kubernetes-token} sends */
  Optional<String> credential(Supplier<Config> kubernetes) {
    return UploadToken.of(uploadToken, uploadTokenFile, uploadKubernetesToken ? Optional.of(kubernetes.get()) : Optional.empty());
  }
}
