package io.sparkstaging.server.auth;

import java.util.Optional;

/**
 * Decides whether a request may upload. Downloads never pass through here: the bundle secret is
 * their capability.
 */
public interface UploadAuthenticator {
  /**
   * @param authorization the request's {@code Authorization} header, or null
   * @param namespace the owner's namespace when the request names it before its body (v1), else empty
   * @throws io.sparkstaging.server.errors.StagingException 401 when the credential is missing or
   *     wrong, 403 when it may not upload for that namespace
   */
  void check(String authorization, Optional<String> namespace);

  /** Anyone who can reach the server may upload: the local default, and what the original clients expect. */
  UploadAuthenticator NONE = (authorization, namespace) -> {};
}
