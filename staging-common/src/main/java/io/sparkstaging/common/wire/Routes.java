package io.sparkstaging.common.wire;

/**
 * The staging server's routes, as the server serves them and the init-container and the client
 * call them. v0 is the original server's protocol, kept byte for byte; v1 is this project's.
 */
public final class Routes {
  /** {@code POST} a multipart upload (the original client adds a trailing {@code /}). */
  public static final String V0_RESOURCES = "/api/v0/resources";
  public static final String V0_PING = "/api/v0/ping";
  /** {@code POST} a bundle as the raw body; {@code GET}, {@code HEAD}, {@code DELETE} one under it. */
  public static final String V1_BUNDLES = "/api/v1/bundles";
  public static final String V1_OPENAPI = "/api/v1/openapi.yaml";

  /**
   * Staging by digest, under the owner's namespace: {@code POST} a {@link BlobQuery} to {@link
   * #v1MissingBlobs}, {@code PUT} each missing file to {@link #v1Blob}, then {@code POST} a {@link
   * ManifestCommit} to {@link #v1Manifests}. Each needs the same right as an upload.
   */
  public static final String V1_NAMESPACES = "/api/v1/namespaces";

  private Routes() {}

  public static String v1MissingBlobs(String namespace) {
    return V1_NAMESPACES + "/" + namespace + "/blobs/missing";
  }

  public static String v1Blob(String namespace, String sha256) {
    return V1_NAMESPACES + "/" + namespace + "/blobs/" + sha256;
  }

  public static String v1Manifests(String namespace) {
    return V1_NAMESPACES + "/" + namespace + "/manifests";
  }

  /**
   * {@code GET} or {@code HEAD} one file of a bundle staged by digest, with the bundle's secret as
   * for the bundle; the bundle itself, asked with {@code Accept:} {@link Manifest#MEDIA_TYPE},
   * answers its manifest.
   */
  public static String v1BundleBlob(String id, String sha256) {
    return v1Bundle(id) + "/blobs/" + sha256;
  }

  /** {@code GET} with the raw secret as {@code Authorization}, as the original init-container does. */
  public static String v0Resource(String id) {
    return V0_RESOURCES + "/" + id;
  }

  /** {@code GET}, {@code HEAD} or {@code DELETE} with {@code Authorization: Bearer SECRET}. */
  public static String v1Bundle(String id) {
    return V1_BUNDLES + "/" + id;
  }
}
