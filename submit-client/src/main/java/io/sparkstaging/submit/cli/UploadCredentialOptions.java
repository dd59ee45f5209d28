package io.sparkstaging.submit.cli;

import io.fabric8.kubernetes.client.Config;
import io.sparkstaging.submit.stage.UploadCredentials;
import java.nio.file.Path;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * The upload credential options that {@code stage} and {@code submit} share: a picocli mixin for
 * the commands declared with annotations, and the same options ({@link #addTo}) for {@code stage},
 * built with picocli's programmatic API.
 */
final class UploadCredentialOptions {
  private static final String TOKEN = "--upload-token";
  private static final String TOKEN_HELP = "Upload token for a staging server with --upload-auth token (prefer --upload-token-file).";
  private static final String TOKEN_FILE = "--upload-token-file";
  private static final String TOKEN_FILE_HELP = "File holding the upload token.";
  private static final String KUBERNETES = "--upload-kubernetes-token";
  private static final String KUBERNETES_HELP = "Send your own Kubernetes token with the first upload request. Without any upload "
      + "credential option, it is sent only when the staging server answers that it wants it (--upload-auth kubernetes).";

  @Option(names = TOKEN, paramLabel = "TOKEN", description = TOKEN_HELP)
  String uploadToken;

  @Option(names = TOKEN_FILE, paramLabel = "FILE", description = TOKEN_FILE_HELP)
  Path uploadTokenFile;

  @Option(names = KUBERNETES, description = KUBERNETES_HELP)
  boolean uploadKubernetesToken;

  /** Adds the options to a command built by hand; {@link #from} reads what a parse found. */
  static void addTo(CommandSpec spec) {
    spec.addOption(OptionSpec.builder(TOKEN).type(String.class).paramLabel("TOKEN").description(TOKEN_HELP).build());
    spec.addOption(OptionSpec.builder(TOKEN_FILE).type(Path.class).paramLabel("FILE").description(TOKEN_FILE_HELP).build());
    spec.addOption(OptionSpec.builder(KUBERNETES).type(boolean.class).initialValue(false).description(KUBERNETES_HELP).build());
  }

  /** The options {@link #addTo} added, as a parse of {@code parsed} set them. */
  static UploadCredentialOptions from(CommandSpec parsed) {
    var options = new UploadCredentialOptions();
    options.uploadToken = parsed.findOption(TOKEN).getValue();
    options.uploadTokenFile = parsed.findOption(TOKEN_FILE).getValue();
    options.uploadKubernetesToken = parsed.findOption(KUBERNETES).getValue();
    return options;
  }

  /** @param kubernetes the user's Kubernetes credentials, read only if their token is to be sent */
  UploadCredentials credentials(Supplier<Config> kubernetes) {
    return UploadCredentials.of(uploadToken, uploadTokenFile, uploadKubernetesToken, kubernetes);
  }
}
