package io.sparkstaging.server.upload;

import io.sparkstaging.common.wire.BundleOwner;
import io.sparkstaging.common.wire.Problem;
import io.sparkstaging.common.wire.ReprDigest;
import io.sparkstaging.server.errors.StagingException;
import io.sparkstaging.server.store.BundleRecord;
import io.sparkstaging.server.store.BundleStore;
import io.sparkstaging.server.store.PendingBundle;
import io.sparkstaging.server.store.SecretDigest;
import io.sparkstaging.server.token.SecretIssuer;
import java.io.IOException;

/**
 * One upload, the same sequence whichever API it came by. Room under the caps is reserved and the
 * pending bundle opened before any byte of the body is read, so that a server over a cap or short
 * of disk refuses at once (before "100 Continue", for clients that ask); the route then writes the
 * body; its final size is settled against the caps and its content checked against what the
 * client announced; and only then is it committed, with a fresh secret. The secret leaves this
 * class once, in the returned {@link StagedBundle}.
 */
public final class BundleIntake {
  private final BundleStore store;
  private final SecretIssuer secrets;
  private final long maxBundleSize;
  private final Quotas quotas;

  public BundleIntake(BundleStore store, SecretIssuer secrets, long maxBundleSize, Quotas quotas) {
    this.store = store;
    this.secrets = secrets;
    this.maxBundleSize = maxBundleSize;
    this.quotas = quotas;
  }

  /** How a route puts its body into the pending bundle, metered by the reservation; it answers the owner. */
  @FunctionalInterface
  public interface Body {
    BundleOwner writeTo(PendingBundle pending, Quotas.Reservation room) throws IOException;
  }

  /**
   * @param namespace the owner's namespace when it is known before the body (v1), else null (v0 sends it last)
   * @param requestLength the request's Content-Length, or -1: held against the caps until the real size is known
   * @param bundleLength the bundle's own length if the request is nothing else (v1), else -1
   * @param expectedSha256 the SHA-256 the client announced, or null
   * @throws StagingException for every refusal; a body that breaks off is {@code upload_interrupted}
   */
  public StagedBundle receive(String namespace, long requestLength, long bundleLength, String expectedSha256, Body body) {
    try (Quotas.Reservation room = quotas.reserve(namespace, requestLength);
        PendingBundle pending = store.create(maxBundleSize, bundleLength)) {
      BundleOwner owner = body.writeTo(pending, room);
      room.settle(pending.size());
      if (expectedSha256 != null && !expectedSha256.equals(pending.sha256Hex())) {
        throw new StagingException(Problem.DIGEST_MISMATCH,
            "the body's SHA-256 is " + pending.sha256Hex() + " but " + ReprDigest.HEADER + " says " + expectedSha256);
      }
      String secret = secrets.newSecret();
      BundleRecord record = pending.commit(owner, SecretDigest.of(secret));
      return new StagedBundle(record, secret);
    } catch (IOException e) {
      throw new StagingException(Problem.UPLOAD_INTERRUPTED, "the upload ended before it was complete", e);
    }
  }

  /** A committed bundle and the only copy of its secret. */
  public record StagedBundle(BundleRecord record, String secret) {
    @Override
    public String toString() {
      return "StagedBundle[" + record.id() + "]";
    }
  }
}
