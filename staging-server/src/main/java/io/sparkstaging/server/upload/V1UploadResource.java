package io.sparkstaging.server.upload;

import io.sparkstaging.common.wire.BundleOwner;
import io.sparkstaging.common.wire.BundleReceipt;
import io.sparkstaging.common.wire.Headers;
import io.sparkstaging.common.wire.Problem;
import io.sparkstaging.common.wire.ReprDigest;
import io.sparkstaging.common.wire.Routes;
import io.sparkstaging.common.wire.Statuses;
import io.sparkstaging.server.auth.UploadAuthenticated;
import io.sparkstaging.server.errors.StagingException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.net.URI;
import java.util.List;

/**
 * The native upload: the request body is the bundle, the owner JSON rides in the {@code
 * Bundle-Owner} header so that it is checked before a single byte is stored. An optional {@code
 * Repr-Digest: sha-256=:BASE64:} is verified before the bundle becomes visible.
 */
@Path(Routes.V1_BUNDLES)
public final class V1UploadResource {

  private final BundleIntake intake;
  private final OwnerParser owners;

  private final long minUploadRate;

  public V1UploadResource(BundleIntake intake, OwnerParser owners, long minUploadRate) {
    this.intake = intake;
    this.owners = owners;
    this.minUploadRate = minUploadRate;
  }

  @POST
  @UploadAuthenticated
  @Produces(MediaType.APPLICATION_JSON)
  public Response upload(
      @HeaderParam(Headers.BUNDLE_OWNER) String ownerJson,
      @HeaderParam("Content-Length") @DefaultValue("-1") long contentLength,
      @HeaderParam(ReprDigest.HEADER) List<String> reprDigest,
      InputStream body) {
    if (ownerJson == null || ownerJson.isBlank()) {
      throw new StagingException(Problem.BAD_REQUEST, "the " + Headers.BUNDLE_OWNER + " header is required: "
          + "{\"ownerNamespace\": ..., \"ownerLabels\": {...}, \"ownerType\": \"Pod\"}");
    }
    BundleOwner owner = owners.parse(ownerJson);
    String expectedSha256 = expectedSha256(reprDigest);
    var staged = intake.receive(owner.ownerNamespace(), contentLength, contentLength, expectedSha256, (pending, room) -> {
      pending.write(room.meter(MinimumRateInputStream.wrap(body, minUploadRate)));
      return owner;
    });
    var record = staged.record();
    return Response.status(Statuses.UPLOADED).location(URI.create(Routes.v1Bundle(record.id().value())))
        .tag(new EntityTag(record.sha256Hex()))
        .entity(new BundleReceipt(record.id().value(), staged.secret(), record.size(), record.sha256Hex()))
        .build();
  }

  private static String expectedSha256(List<String> reprDigest) {
    try {
      return ReprDigest.sha256Hex(reprDigest).orElse(null);
    } catch (IllegalArgumentException e) {
      throw new StagingException(Problem.BAD_REQUEST, e.getMessage());
    }
  }
}
