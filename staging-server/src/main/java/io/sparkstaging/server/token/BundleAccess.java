package io.sparkstaging.server.token;

import io.sparkstaging.common.wire.Problem;
import io.sparkstaging.server.errors.StagingException;
import io.sparkstaging.server.store.BundleId;
import io.sparkstaging.server.store.BundleRecord;
import io.sparkstaging.server.store.BundleStore;
import io.sparkstaging.server.store.SecretDigest;

/**
 * Decides whether a request may read or delete a bundle. An unknown id, a wrong secret and a
 * missing secret all get the same answer and take the same work, so ids cannot be probed.
 */
public final class BundleAccess {
  private static final String BEARER = "bearer ";
  /** Compared against when the id is unknown, so that a miss costs as much as a mismatch. */
  private static final SecretDigest DECOY = SecretDigest.of("no bundle has this secret");

  private final BundleStore store;

  public BundleAccess(BundleStore store) {
    this.store = store;
  }

  /**
   * @param rawId the id as the client sent it
   * @param authorization the {@code Authorization} header: {@code Bearer SECRET}, or the bare
   *     secret as the original client sends it; may be null
   */
  public BundleRecord authorize(String rawId, String authorization) {
    BundleRecord record = BundleId.parse(rawId).flatMap(store::find).orElse(null);
    SecretDigest expected = record == null ? DECOY : record.secretDigest();
    boolean matches = expected.matches(secretFrom(authorization));
    if (record == null || !matches) {
      throw new StagingException(Problem.NOT_FOUND,
          "no bundle with this id can be read with the secret given (or no secret was given)");
    }
    return record;
  }

  private static String secretFrom(String authorization) {
    if (authorization == null) {
      return "";
    }
    String value = authorization.strip();
    if (value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return value.substring(BEARER.length()).strip();
    }
    return value;
  }
}
