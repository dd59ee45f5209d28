package io.sparkstaging.common.wire;

/** The headers of the staging protocol that are its own, or that its parties must spell alike. */
public final class Headers {
  public static final String AUTHORIZATION = "Authorization";
  /** v1 takes the secret (or an upload token) as {@code Bearer SECRET}; v0 takes it bare. */
  public static final String BEARER = "Bearer ";
  /** The owner document of a v1 upload, as JSON. */
  public static final String BUNDLE_OWNER = "Bundle-Owner";
  /**
   * On every answer of this project's server, so that a client can tell it from the original
   * server, which knows no v1 route: a {@code 404} without it means the route, not the bundle, is unknown.
   */
  public static final String API = "Spark-Staging-Api";
  public static final String API_VERSION = "1";
  /**
   * On the manifest of a bundle staged by digest when the server redirects each of its files'
   * downloads to the object store ({@code --download-redirect}): the reader then fetches the files
   * one by one, from there, rather than ranges of the bundle's tar, which the server would send itself.
   */
  public static final String FILE_DOWNLOADS = "Spark-Staging-File-Downloads";
  public static final String FILE_DOWNLOADS_REDIRECTED = "redirect";
  /** Echoed when the caller sends a plain one, else made up; in every answer and access-log line. */
  public static final String REQUEST_ID = "X-Request-Id";

  private Headers() {}

  public static String bearer(String secret) {
    return BEARER + secret;
  }
}
