package io.sparkstaging.server.auth;

import io.sparkstaging.common.wire.Problem;
import io.sparkstaging.server.errors.StagingException;
import java.util.Map;

/**
 * An upload without a valid credential. Its challenge names the kind of credential this server
 * takes, so that a client holding several (an upload token, a Kubernetes token) can pick the right
 * one without being told the server's mode.
 */
public final class UploadUnauthorized extends StagingException {
  /** What the server wants, as the {@code credential} parameter of the challenge. */
  public enum Wanted {
    UPLOAD_TOKEN("upload-token"),
    KUBERNETES("kubernetes");

    private final String parameter;

    Wanted(String parameter) {
      this.parameter = parameter;
    }
  }

  private final Wanted wanted;

  public UploadUnauthorized(Wanted wanted, String message) {
    super(Problem.UNAUTHORIZED, message);
    this.wanted = wanted;
  }

  /** The {@code WWW-Authenticate} challenge: RFC 6750's Bearer scheme with one extra auth-param. */
  @Override
  public Map<String, String> headers() {
    return Map.of("WWW-Authenticate", "Bearer realm=\"spark-staging-uploads\", credential=\"" + wanted.parameter + "\"");
  }
}
