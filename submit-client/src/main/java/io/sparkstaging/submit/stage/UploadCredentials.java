package io.sparkstaging.submit.stage;

import io.fabric8.kubernetes.client.Config;
import io.sparkstaging.common.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * What to send with uploads. A shared upload token ({@code --upload-auth token} on the server) or
 * the user's Kubernetes token ({@code kubernetes}) goes with the first request when the user names
 * it. Otherwise the first request goes without one, and a {@code 401} whose challenge asks for a
 * Kubernetes credential is answered once with the user's Kubernetes token, so that the user need
 * not know how the server was set up.
 */
public final class UploadCredentials {
  private static final Pattern WANTED = Pattern.compile("credential=\"([^\"]*)\"");

  private final Optional<String> upFront;
  private final Optional<Supplier<Config>> kubernetesOnRequest;

  private UploadCredentials(Optional<String> upFront, Optional<Supplier<Config>> kubernetesOnRequest) {
    this.upFront = upFront;
    this.kubernetesOnRequest = kubernetesOnRequest;
  }

  /** Sends nothing, ever: for dry runs and tests. */
  public static UploadCredentials none() {
    return new UploadCredentials(Optional.empty(), Optional.empty());
  }

  /**
   * @param sendKubernetesToken send the Kubernetes token with the first request
   * @param kubernetes the user's Kubernetes credentials, read only when their token is to be sent
   */
  public static UploadCredentials of(String token, Path file, boolean sendKubernetesToken, Supplier<Config> kubernetes) {
    if (sendKubernetesToken && (token != null || file != null)) {
      throw new ConfigException("give --upload-kubernetes-token or an upload token, not both");
    }
    if (token != null && file != null) {
      throw new ConfigException("give --upload-token or --upload-token-file, not both");
    }
    if (sendKubernetesToken) {
      return new UploadCredentials(Optional.of(kubernetesToken(kubernetes.get())), Optional.empty());
    }
    if (token != null || file != null) {
      return new UploadCredentials(Optional.of(file == null ? token : read(file)), Optional.empty());
    }
    return new UploadCredentials(Optional.empty(), Optional.of(kubernetes));
  }

  /** Sent with the first request, when the user named a credential. */
  Optional<String> upFront() {
    return upFront;
  }

  /**
   * The credential to try again with after the first request, sent without one, got {@code 401}.
   *
   * @param challenge the {@code WWW-Authenticate} header of the answer, or null
   * @throws StageFailure naming the option to use when this server wants what only the user can give
   */
  String answer(String challenge) throws StageFailure {
    var wanted = WANTED.matcher(challenge == null ? "" : challenge);
    String kind = wanted.find() ? wanted.group(1) : "";
    if (kind.equals("kubernetes") && kubernetesOnRequest.isPresent()) {
      try {
        return kubernetesToken(kubernetesOnRequest.get().get());
      } catch (ConfigException e) {
        throw new StageFailure("the staging server wants your Kubernetes token, but " + e.getMessage());
      }
    }
    if (kind.equals("upload-token")) {
      throw new StageFailure("the staging server takes uploads with its upload token only: give --upload-token-file (or --upload-token)");
    }
    throw new StageFailure("the staging server wants a credential for uploads: give --upload-token-file, or --upload-kubernetes-token");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new ConfigException("--upload-token-file: cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static String kubernetesToken(Config config) {
    String token = Optional.ofNullable(config.getOauthToken()).orElse(config.getAutoOAuthToken());
    if (token == null || token.isBlank()) {
      throw new ConfigException("these Kubernetes credentials hold no bearer token (client certificates cannot be checked by "
          + "the staging server); use a token-based context or an upload token");
    }
    return token;
  }
}
