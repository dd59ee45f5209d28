package io.sparkstaging.submit.cli;

import io.fabric8.kubernetes.client.Config;
import io.sparkstaging.submit.stage.UploadCredentials;
import java.nio.file.Path;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/** The upload credential options that {@code stage} and {@code submit} share. */
final class UploadCredentialOptions {
  @Option(names = "--upload-token", paramLabel = "TOKEN",
      description = "Upload token for a staging server with --upload-auth token (prefer --upload-token-file).")
  String uploadToken;

  @Option(names = "--upload-token-file", paramLabel = "FILE", description = "File holding the upload token.")
  Path uploadTokenFile;

  @Option(names = "--upload-kubernetes-token",
      description = "Send your own Kubernetes token with the first upload request. Without any upload credential option, it is sent "
          + "only when the staging server answers that it wants it (--upload-auth kubernetes).")
  boolean uploadKubernetesToken;

  /** @param kubernetes the user's Kubernetes credentials, read only if their token is to be sent */
  UploadCredentials credentials(Supplier<Config> kubernetes) {
    return UploadCredentials.of(uploadToken, uploadTokenFile, uploadKubernetesToken, kubernetes);
  }
}
