package io.sparkstaging.server.upload;

import io.sparkstaging.common.units.ByteSize;
import io.sparkstaging.server.api.BundleOwner;
import io.sparkstaging.server.api.UploadReceipt;
import io.sparkstaging.server.auth.UploadAuthenticated;
import io.sparkstaging.server.errors.Problem;
import io.sparkstaging.server.errors.StagingException;
import io.sparkstaging.server.store.PendingBundle;
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
import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.core.FileUploadException;
import org.apache.commons.fileupload2.core.FileUploadSizeException;
import org.apache.commons.fileupload2.jakarta.servlet6.JakartaServletFileUpload;

/**
 * The original server's upload: {@code multipart/form-data} with a {@code resources} part (the
 * bundle, whatever its part content type) and a {@code resourcesOwner} part (owner JSON).
 *
 * <p>Parts are parsed as they stream in and the bundle part goes straight into the store, so the
 * bytes touch the disk once; the original's multipart layer spooled each upload to a temporary
 * file first and then copied it.
 */
@Path("api/v0")
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
  private final Quotas quotas;

  public V0UploadResource(BundleIntake intake, OwnerParser owners, long maxBundleSize, long minUploadRate, Quotas quotas) {
    this.intake = intake;
    this.owners = owners;
    this.maxBundleSize = maxBundleSize;
    this.minUploadRate = minUploadRate;
    this.quotas = quotas;
  }

  @POST
  @UploadAuthenticated
  @Path("resources")
  @Produces(MediaType.APPLICATION_JSON)
  public UploadReceipt upload(
      @HeaderParam("Content-Type") String contentType,
      @HeaderParam("Content-Length") @DefaultValue("-1") long contentLength,
      InputStream body) {
    if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      throw new StagingException(Problem.BAD_REQUEST, "expected a multipart/form-data body with parts 'resources' and 'resourcesOwner'");
    }
    var upload = new JakartaServletFileUpload<>();
    upload.setMaxPartHeaderSize(MAX_PART_HEADER_BYTES);
    upload.setMaxSize(maxBundleSize + MULTIPART_OVERHEAD);
    // The reservation and the pending bundle are opened before any body byte is read, so that a
    // server short of disk or over its cap refuses at once (before "100 Continue", for clients
    // that ask). The namespace cap waits for the owner part, which the original client sends last.
    try (Quotas.Reservation room = quotas.reserve(null, contentLength); PendingBundle pending = intake.start(-1)) {
      BundleOwner owner = null;
      boolean received = false;
      FileItemInputIterator parts = upload.getItemIterator(new MultipartBody(contentType, contentLength, MinimumRateInputStream.wrap(body, minUploadRate)));
      while (parts.hasNext()) {
        FileItemInput part = parts.next();
        String name = part.getFieldName();
        if (RESOURCES.equals(name) && !received) {
          pending.write(room.meter(part.getInputStream()));
          received = true;
        } else if (OWNER.equals(name) && owner == null) {
          owner = owners.parse(readOwner(part.getInputStream()));
          room.assign(owner.ownerNamespace());
        } else {
          throw new StagingException(Problem.BAD_REQUEST, "unexpected or repeated part '" + name
              + "'; expected exactly one 'resources' and one 'resourcesOwner'");
        }
      }
      if (!received || owner == null) {
        throw new StagingException(Problem.BAD_REQUEST, "missing part '" + (received ? OWNER : RESOURCES) + "'");
      }
      room.settle(pending.size());
      var staged = intake.commit(pending, owner);
      return new UploadReceipt(staged.record().id().value(), staged.secret());
    } catch (FileUploadSizeException e) {
      // The same exception reports an overlong part header section and an overlong body.
      if (e.getPermitted() == MAX_PART_HEADER_BYTES) {
        throw new StagingException(Problem.BAD_REQUEST, "malformed multipart body: a part's headers exceed "
            + MAX_PART_HEADER_BYTES + " bytes", e);
      }
      throw new StagingException(Problem.PAYLOAD_TOO_LARGE,
          "the bundle is larger than the " + ByteSize.format(maxBundleSize) + " this server accepts", e);
    } catch (FileUploadException e) {
      throw new StagingException(Problem.BAD_REQUEST, "malformed multipart body: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new StagingException(Problem.UPLOAD_INTERRUPTED, "the upload ended before it was complete", e);
    }
  }

  private static String readOwner(InputStream part) throws IOException {
    byte[] bytes = part.readNBytes(MAX_OWNER_BYTES + 1);
    if (bytes.length > MAX_OWNER_BYTES) {
      throw new StagingException(Problem.BAD_REQUEST, "invalid owner: resourcesOwner is larger than " + MAX_OWNER_BYTES + " bytes");
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
