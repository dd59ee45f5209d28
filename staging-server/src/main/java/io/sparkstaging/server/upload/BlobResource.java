package io.sparkstaging.server.upload;

import io.sparkstaging.common.kubernetes.KubernetesNames;
import io.sparkstaging.common.wire.BlobQuery;
import io.sparkstaging.common.wire.Manifest;
import io.sparkstaging.common.wire.MissingBlobs;
import io.sparkstaging.common.wire.Problem;
import io.sparkstaging.common.wire.Routes;
import io.sparkstaging.common.wire.Statuses;
import io.sparkstaging.server.auth.UploadAuthenticated;
import io.sparkstaging.server.errors.StagingException;
import io.sparkstaging.server.store.BlobStore;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.List;

/**
 * The first two steps of staging by digest, in the owner's namespace: which files does the server
 * lack, and each missing file's bytes, verified against its digest as they stream. Both need the
 * same right as an upload into the namespace.
 */
@Path(Routes.V1_NAMESPACES + "/{namespace}/blobs")
public final class BlobResource {
  /** As many as a manifest may list. */
  static final int MAX_DIGESTS = ManifestResource.MAX_FILES;

  private final BlobStore blobs;
  private final Quotas quotas;
  private final long maxBlobSize;
  private final long minUploadRate;

  public BlobResource(BlobStore blobs, Quotas quotas, long maxBlobSize, long minUploadRate) {
    this.blobs = blobs;
    this.quotas = quotas;
    this.maxBlobSize = maxBlobSize;
    this.minUploadRate = minUploadRate;
  }

  @POST
  @Path("missing")
  @UploadAuthenticated
  @Produces(MediaType.APPLICATION_JSON)
  public MissingBlobs missing(@PathParam("namespace") String namespace, InputStream body) {
    requireNamespace(namespace);
    BlobQuery query = JsonBodies.read(body, BlobQuery.class, "{\"digests\": [SHA256, ...]}");
    List<String> digests = query.digests();
    if (digests == null) {
      throw new StagingException(Problem.BAD_REQUEST, "the body must be {\"digests\": [SHA256, ...]}");
    }
    if (digests.size() > MAX_DIGESTS) {
      throw new StagingException(Problem.BAD_REQUEST, "at most " + MAX_DIGESTS + " digests may be asked at once");
    }
    for (int i = 0; i < digests.size(); i++) {
      requireDigest(digests.get(i), "digests[" + i + "]");
    }
    return new MissingBlobs(blobs.missing(namespace, digests));
  }

  /** Answers 201 when the file is stored now, 200 when the namespace held it already. */
  @PUT
  @Path("{sha256}")
  @UploadAuthenticated
  @Consumes(MediaType.WILDCARD)
  public Response upload(@PathParam("namespace") String namespace, @PathParam("sha256") String sha256,
      @HeaderParam("Content-Length") @DefaultValue("-1") long contentLength, InputStream body) {
    requireNamespace(namespace);
    requireDigest(sha256, "the path's digest");
    try (Quotas.Reservation room = quotas.reserve(namespace, contentLength)) {
      InputStream metered = room.meter(MinimumRateInputStream.wrap(body, minUploadRate));
      boolean stored = blobs.write(namespace, sha256, metered, maxBlobSize, contentLength);
      return Response.status(stored ? Statuses.UPLOADED : Response.Status.OK.getStatusCode()).build();
    }
  }

  static void requireNamespace(String namespace) {
    if (!KubernetesNames.isNamespace(namespace)) {
      throw new StagingException(Problem.BAD_REQUEST, "the path's namespace is not a valid Kubernetes namespace name");
    }
  }

  static void requireDigest(String digest, String where) {
    if (!Manifest.isSha256(digest)) {
      throw new StagingException(Problem.BAD_REQUEST, where + " is not a SHA-256 digest of 64 lower-case hex digits");
    }
  }
}
