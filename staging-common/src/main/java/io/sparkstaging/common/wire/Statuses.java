package io.sparkstaging.common.wire;

/** What the server answers when a request succeeds, where a client must tell it from other 2xx and 3xx; failures are {@link Problem}s. */
public final class Statuses {
  /** A v1 upload was stored: the body is its receipt. A v0 upload answers 200, as the original server did. */
  public static final int UPLOADED = 201;
  /** A {@code DELETE} removed the bundle; a second one gets {@link Problem#NOT_FOUND}. */
  public static final int DELETED = 204;
  /**
   * A v1 {@code GET} sent to the object store that holds the bundle, with the server's {@code ETag}
   * and {@code Repr-Digest} to verify the bytes against; v0 and {@code HEAD} are never redirected.
   */
  public static final int REDIRECTED_TO_STORE = 307;

  private Statuses() {}
}
