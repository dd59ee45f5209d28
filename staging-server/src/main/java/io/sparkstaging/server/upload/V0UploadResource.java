package io.sparkstaging.server.upload;

import io.sparkstaging.common.units.ByteSize;
import io.sparkstaging.common.wire.BundleOwner;
import io.sparkstaging.common.wire.Problem;
import io.sparkstaging.common.wire.Routes;
import io.sparkstaging.common.wire.UploadReceipt;
import io.sparkstaging.server.auth.UploadAuthenticated;
import io.sparkstaging.server.errors.StagingException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.commons.io.input.BoundedInputStream;

/**
 * The original server's upload: {@code multipart/form-data} with a {@code resources} part (the
 * bundle, whatever its part content type) and a {@code resourcesOwner} part (owner JSON).
 *
 * <p>Parts are parsed as they stream in ({@link MultipartParts}) and the bundle part goes straight
 * into the store, so the bytes touch the disk once; the original's multipart layer spooled each
 * upload to a temporary file first and then copied it.
 */
@Path(Routes.V0_RESOURCES)
public final class V0UploadResource {
  private static final String RESOURCES = "resources";
  private static final String OWNER = "resourcesOwner";
  private static final int MAX_OWNER_BYTES = 64 * 1024;
  private static final int MAX_PART_HEADER_BYTES = 8 * 1024;
  /** Room for boundaries, part headers and the owner part around the bundle itself. */
  private static final long MULTIPART_OVERHEAD = 1024 * 1024;

  private final BundleIntake intake;
  private final OwnerParser owners;
  private final long maxBundleSize;

  private final long minUploadRate;

  public V0UploadResource(BundleIntake intake, OwnerParser owners, long maxBundleSize, long minUploadRate) {
    this.intake = intake;
    this.owners = owners;
    this.maxBundleSize = maxBundleSize;
    this.minUploadRate = minUploadRate;
  }

  @POST
  @UploadAuthenticated
  @Produces(MediaType.APPLICATION_JSON)
  public UploadReceipt upload(
      @HeaderParam("Content-Type") String contentType,
      @HeaderParam("Content-Length") @DefaultValue("-1") long contentLength,
      InputStream body) {
    if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      throw new StagingException(Problem.BAD_REQUEST, "expected a multipart/form-data body with parts 'resources' and 'resourcesOwner'");
    }
    String boundary = MultipartParts.boundaryOf(contentType);
    if (contentLength > maxBundleSize + MULTIPART_OVERHEAD) {
      throw tooLarge();
    }
    // The namespace cap waits for the owner part, which the original client sends last.
    var staged = intake.receive(null, contentLength, -1, null, (pending, room) -> {
      // The body may hold little beyond the bundle: boundaries, part headers, the owner part.
      InputStream bounded = BoundedInputStream.builder()
          .setInputStream(MinimumRateInputStream.wrap(body, minUploadRate))
          .setMaxCount(maxBundleSize + MULTIPART_OVERHEAD + 1)
          .setOnMaxCount((max, count) -> {
            throw tooLarge();
          })
          .get();
      var parts = new MultipartParts(bounded, boundary, MAX_PART_HEADER_BYTES);
      BundleOwner owner = null;
      boolean received = false;
      for (var part = parts.next(); part.isPresent(); part = parts.next()) {
        String name = part.get().name();
        if (RESOURCES.equals(name) && !received) {
          pending.write(room.meter(part.get().content()));
          received = true;
        } else if (OWNER.equals(name) && owner == null) {
          owner = owners.parse(readOwner(part.get().content()));
          room.assign(owner.ownerNamespace());
        } else {
          throw new StagingException(Problem.BAD_REQUEST, "unexpected or repeated part '" + name
              + "'; expected exactly one 'resources' and one 'resourcesOwner'");
        }
      }
      if (!received || owner == null) {
        throw new StagingException(Problem.BAD_REQUEST, "missing part '" + (received ? OWNER : RESOURCES) + "'");
      }
      return owner;
    });
    return new UploadReceipt(staged.record().id().value(), staged.secret());
  }

  private StagingException tooLarge() {
    return new StagingException(Problem.PAYLOAD_TOO_LARGE,
        "the bundle is larger than the " + ByteSize.format(maxBundleSize) + " this server accepts");
  }

  private static String readOwner(InputStream part) throws IOException {
    byte[] bytes = part.readNBytes(MAX_OWNER_BYTES + 1);
    if (bytes.length > MAX_OWNER_BYTES) {
      throw new StagingException(Problem.BAD_REQUEST, "invalid owner: resourcesOwner is larger than " + MAX_OWNER_BYTES + " bytes");
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
