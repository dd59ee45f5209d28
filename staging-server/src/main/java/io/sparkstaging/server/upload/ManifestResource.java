package io.sparkstaging.server.upload;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkstaging.common.wire.BundleOwner;
import io.sparkstaging.common.wire.Manifest;
import io.sparkstaging.common.wire.ManifestFile;
import io.sparkstaging.common.wire.ManifestReceipt;
import io.sparkstaging.common.wire.Problem;
import io.sparkstaging.common.wire.Routes;
import io.sparkstaging.common.wire.Statuses;
import io.sparkstaging.server.auth.UploadAuthenticated;
import io.sparkstaging.server.errors.StagingException;
import io.sparkstaging.server.store.BlobStore;
import io.sparkstaging.server.store.BundleRecord;
import io.sparkstaging.server.store.SecretDigest;
import io.sparkstaging.server.token.SecretIssuer;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Set;

/**
 * The last step of staging by digest: a manifest of files the namespace holds becomes a bundle,
 * with its own id and secret, as an upload does. Nothing is committed unless every file is there,
 * with the size the manifest gives.
 */
@Path(Routes.V1_NAMESPACES + "/{namespace}/manifests")
public final class ManifestResource {
  /** The most files a manifest may list: the init-container's default limit on a bundle's entries. */
  static final int MAX_FILES = 100_000;
  private static final Set<String> FIELDS = Set.of("owner", "files");

  private final BlobStore blobs;
  private final OwnerParser owners;
  private final SecretIssuer secrets;
  private final long maxBundleSize;

  public ManifestResource(BlobStore blobs, OwnerParser owners, SecretIssuer secrets, long maxBundleSize) {
    this.blobs = blobs;
    this.owners = owners;
    this.secrets = secrets;
    this.maxBundleSize = maxBundleSize;
  }

  @POST
  @UploadAuthenticated
  @Produces(MediaType.APPLICATION_JSON)
  public Response commit(@PathParam("namespace") String namespace, InputStream body) {
    BlobResource.requireNamespace(namespace);
    JsonNode root = read(body);
    BundleOwner owner = owners.parse(root.path("owner").toString());
    if (!owner.ownerNamespace().equals(namespace)) {
      throw new StagingException(Problem.BAD_REQUEST,
          "invalid owner: ownerNamespace " + owner.ownerNamespace() + " is not the path's namespace " + namespace);
    }
    Manifest manifest = manifest(root.get("files"));
    String secret = secrets.newSecret();
    BundleRecord record = blobs.commit(owner, SecretDigest.of(secret), manifest, maxBundleSize);
    return Response.status(Statuses.UPLOADED).location(URI.create(Routes.v1Bundle(record.id().value())))
        .entity(new ManifestReceipt(record.id().value(), secret, manifest.files().size(), manifest.totalSize(), record.sha256Hex()))
        .build();
  }

  private static JsonNode read(InputStream body) {
    JsonNode root = JsonBodies.tree(body, "{\"owner\": {...}, \"files\": [...]}");
    root.fieldNames().forEachRemaining(name -> {
      if (!FIELDS.contains(name)) {
        throw invalid("'" + name + "' is not a known field; expected files, owner");
      }
    });
    return root;
  }

  private static Manifest manifest(JsonNode files) {
    if (files == null || !files.isArray()) {
      throw invalid("files must be an array of {name, sha256, size, mode}");
    }
    ManifestFile[] list = JsonBodies.convert(files, ManifestFile[].class, "files", "files as an array of {name, sha256, size, mode}");
    for (int i = 0; i < list.length; i++) {
      if (list[i] == null) {
        throw invalid("files[" + i + "] is null");
      }
    }
    var manifest = new Manifest(List.of(list));
    manifest.problem(MAX_FILES).ifPresent(problem -> {
      throw invalid(problem);
    });
    return manifest;
  }

  private static StagingException invalid(String reason) {
    return JsonBodies.invalid("invalid manifest: " + reason);
  }
}
