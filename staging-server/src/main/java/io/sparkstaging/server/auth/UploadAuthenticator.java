package io.sparkstaging.server.auth;

/**
 * Decides whether a request may upload. Downloads never pass through here: the bundle secret is
 * their capability.
 */
public interface UploadAuthenticator {
  /**
   * @param authorization the request's {@code Authorization} header, or null
   * @throws io.sparkstaging.server.errors.StagingException 401 when the credential is missing or wrong
   */
  void check(String authorization);

  /** Anyone who can reach the server may upload: the local default, and what the original clients expect. */
  UploadAuthenticator NONE = authorization -> { };
}
