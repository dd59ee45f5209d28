package io.sparkstaging.submit.stage;

import io.sparkstaging.common.config.ConfigException;
import io.sparkstaging.common.tls.TrustConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The original fork's TLS trust settings for the staging server: {@code
 * spark.ssl.kubernetes.resourceStagingServer.*} for this client, {@code ...internal.*} (defaulting to
 * the former) for the pods' init-container.
 */
public final class StagingTrust {
  public static final String SSL = "spark.ssl.kubernetes.resourceStagingServer.";
  static final String INTERNAL = SSL + "internal.";
  /** Keys of the init Secret where submitter-local trust files travel, as in the original. */
  static final String TRUST_STORE_KEY = "trustStore";
  static final String CERT_KEY = "ssl-certificate";

  private StagingTrust() {}

  /** What this client trusts when it uploads. */
  public static TrustConfig forClient(Map<String, String> properties) {
    if ("false".equalsIgnoreCase(properties.get(SSL + "enabled"))) {
      return new TrustConfig.SystemDefault();
    }
    String store = properties.get(SSL + "trustStore");
    String pem = properties.get(SSL + "clientCertPem");
    if (store != null && pem != null) {
      throw new ConfigException("give " + SSL + "trustStore or " + SSL + "clientCertPem, not both");
    }
    if (store != null) {
      return new TrustConfig.TrustStoreFile(Path.of(store), properties.getOrDefault(SSL + "trustStoreType", "PKCS12"),
          properties.get(SSL + "trustStorePassword"));
    }
    return pem != null ? new TrustConfig.PemCertificates(Path.of(pem)) : new TrustConfig.SystemDefault();
  }

  /**
   * What the pods trust, as init-container properties and Secret entries: a {@code local://} file
   * is already in the image or a volume and is used where it is; a plain or {@code file:} path is
   * read here and shipped in the init Secret.
   */
  public record ForPods(Map<String, String> initProperties, Map<String, String> secretData) {
    public static ForPods none() {
      return new ForPods(Map.of(), Map.of());
    }
  }

  public static ForPods forPods(Map<String, String> properties, String secretDir) {
    var init = new LinkedHashMap<String, String>();
    var secret = new LinkedHashMap<String, String>();
    Optional.ofNullable(internal(properties, "enabled")).ifPresent(value -> init.put(SSL + "enabled", value));
    Optional.ofNullable(internal(properties, "trustStore"))
        .ifPresent(value -> init.put(SSL + "trustStore", ship(value, TRUST_STORE_KEY, secretDir, secret)));
    Optional.ofNullable(internal(properties, "clientCertPem"))
        .ifPresent(value -> init.put(SSL + "clientCertPem", ship(value, CERT_KEY, secretDir, secret)));
    Optional.ofNullable(internal(properties, "trustStorePassword")).ifPresent(value -> init.put(SSL + "trustStorePassword", value));
    Optional.ofNullable(internal(properties, "trustStoreType")).ifPresent(value -> init.put(SSL + "trustStoreType", value));
    return new ForPods(init, secret);
  }

  private static String internal(Map<String, String> properties, String key) {
    return Optional.ofNullable(properties.get(INTERNAL + key)).orElse(properties.get(SSL + key));
  }

  private static String ship(String location, String secretKey, String secretDir, Map<String, String> secret) {
    URI uri = URI.create(location);
    if ("local".equals(uri.getScheme())) {
      return uri.getPath();
    }
    Path file = "file".equals(uri.getScheme()) ? Path.of(uri) : Path.of(location);
    try {
      secret.put(secretKey, Base64.getEncoder().encodeToString(Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new ConfigException("the staging server trust file " + file + " cannot be read: " + e.getMessage(), e);
    }
    return secretDir + "/" + secretKey;
  }
}
