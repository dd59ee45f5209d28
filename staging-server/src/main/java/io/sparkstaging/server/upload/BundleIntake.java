package io.sparkstaging.server.upload;

import io.sparkstaging.common.wire.BundleOwner;
import io.sparkstaging.server.store.BundleRecord;
import io.sparkstaging.server.store.BundleStore;
import io.sparkstaging.server.store.PendingBundle;
import io.sparkstaging.server.store.SecretDigest;
import io.sparkstaging.server.token.SecretIssuer;

/**
 * What both upload APIs share: start a pending bundle within the size limit, and commit it with a
 * fresh secret. The secret leaves this class once, in the returned {@link StagedBundle}.
 */
public final class BundleIntake {
  private final BundleStore store;
  private final SecretIssuer secrets;
  private final long maxBundleSize;

  public BundleIntake(BundleStore store, SecretIssuer secrets, long maxBundleSize) {
    this.store = store;
    this.secrets = secrets;
    this.maxBundleSize = maxBundleSize;
  }

  /** @param declaredLength the request's Content-Length, or -1 */
  public PendingBundle start(long declaredLength) {
    return store.create(maxBundleSize, declaredLength);
  }

  public StagedBundle commit(PendingBundle pending, BundleOwner owner) {
    String secret = secrets.newSecret();
    BundleRecord record = pending.commit(owner, SecretDigest.of(secret));
    return new StagedBundle(record, secret);
  }

  /** A committed bundle and the only copy of its secret. */
  public record StagedBundle(BundleRecord record, String secret) {
    @Override
    public String toString() {
      return "StagedBundle[" + record.id() + "]";
    }
  }
}
