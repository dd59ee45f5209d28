package io.sparkstaging.server.config;

import io.sparkstaging.common.config.ConfigException;
import io.sparkstaging.common.config.Converters;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Every setting of the server, with its default and one line of documentation. Each option can
 * also be given as an environment variable ({@code STAGING_} plus the option name in upper case,
 * e.g. {@code STAGING_DATA_DIR}) or in the properties file (the option name without dashes, e.g.
 * {@code data-dir}, or the original server's key). The command line wins over the environment,
 * which wins over the file.
 */
@Command(
    name = "staging-server",
    mixinStandardHelpOptions = true,
    versionProvider = Versions.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = "Stores Spark dependency bundles and serves them to the pods that hold their secret.")
final class ServerCommand {

  @Parameters(arity = "0..1", paramLabel = "PROPERTIES_FILE",
      description = "Properties file with settings; also accepts the original apache-spark-on-k8s server's keys.")
  Path propertiesFile;

  @Option(names = "--port", defaultValue = "10000", description = "TCP port; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(names = "--host", defaultValue = "0.0.0.0", description = "Address to bind. Default: ${DEFAULT-VALUE} (all interfaces).")
  String host;

  @Option(names = "--data-dir", defaultValue = "staging-data", description = "Directory holding the bundles. Default: ${DEFAULT-VALUE}.")
  Path dataDir;

  @Option(names = "--storage", defaultValue = "local",
      description = "Where bundles live: local (the --data-dir directory, one replica) or s3://BUCKET/PREFIX (an S3-compatible object "
          + "store, any number of replicas). Default: ${DEFAULT-VALUE}.")
  String storage;

  @Option(names = "--s3-endpoint", description = "Endpoint of an S3-compatible store (MinIO, Ceph RGW, GCS interoperability); "
      + "default: AWS S3.")
  URI s3Endpoint;

  @Option(names = "--s3-region", description = "Region of the bucket. Default: us-east-1 with --s3-endpoint, else the SDK's "
      + "(AWS_REGION, profile, instance metadata).")
  String s3Region;

  @Option(names = "--s3-path-style", arity = "0..1", fallbackValue = "true", defaultValue = "false",
      description = "Address the bucket in the path rather than the host name, as most S3-compatible stores need. Default: ${DEFAULT-VALUE}.")
  boolean s3PathStyle;

  @Option(names = "--s3-part-size", defaultValue = "8m", converter = Converters.Size.class,
      description = "Size of each part of a multipart upload, spooled on local disk before it is sent, two at most per upload (5m to 5g). "
          + "Default: ${DEFAULT-VALUE}.")
  long s3PartSize;

  @Option(names = "--s3-spool-dir", description = "Where upload parts wait before they are sent. Default: the JVM's temporary directory.")
  Path s3SpoolDir;

  @Option(names = "--download-redirect", converter = Converters.Time.class,
      description = "With S3 storage: answer each v1 download, once its secret is checked, with a redirect to a presigned URL valid "
          + "this long, so that bytes flow straight from the object store. Default: off (bytes stream through the server).")
  Duration downloadRedirect;

  @Option(names = "--cleanup-lease", defaultValue = "spark-staging-server-cleanup",
      description = "With S3 storage and a cluster: the Lease, in the server's namespace, that elects the one replica running cleanup. "
          + "Default: ${DEFAULT-VALUE}.")
  String cleanupLease;

  @Option(names = "--max-bundle-size", defaultValue = "4g", converter = Converters.Size.class,
      description = "Largest bundle accepted (413 beyond). Default: ${DEFAULT-VALUE}.")
  long maxBundleSize;

  @Option(names = "--min-free-space", defaultValue = "512m", converter = Converters.Size.class,
      description = "Free disk space uploads may not eat into (507 beyond). Default: ${DEFAULT-VALUE}.")
  long minFreeSpace;

  @Option(names = "--idle-timeout", defaultValue = "30s", converter = Converters.Time.class,
      description = "Close connections idle this long, also mid-transfer. Default: ${DEFAULT-VALUE}.")
  Duration idleTimeout;

  @Option(names = "--accept-queue", defaultValue = "4096",
      description = "New connections the kernel may hold before the server accepts them (the listen backlog; Linux caps it at "
          + "net.core.somaxconn). Default: ${DEFAULT-VALUE}.")
  int acceptQueue;

  @Option(names = "--max-downloads", defaultValue = "0",
      description = "Downloads streamed at once; beyond, 503 with Retry-After. 0: as many as half the JVM's direct memory "
          + "holds at one read buffer each. Default: auto.")
  int maxDownloads;

  @Option(names = "--trusted-proxies", split = ",", paramLabel = "CIDR",
      description = "Proxies (addresses or ranges, comma-separated) whose Forwarded or X-Forwarded-For headers name the client, "
          + "for the failed-authentication limiter and the access log; an ingress controller's pods. Default: none.")
  List<String> trustedProxies = new ArrayList<>();

  @Option(names = "--min-upload-rate", defaultValue = "1k", converter = Converters.Size.class,
      description = "Average bytes per second below which an upload is abandoned after its first 10 s (408); 0 disables. Default: ${DEFAULT-VALUE}.")
  long minUploadRate;

  @Option(names = "--shutdown-grace", defaultValue = "30s", converter = Converters.Time.class,
      description = "On SIGTERM, how long in-flight transfers may take to finish. Default: ${DEFAULT-VALUE}.")
  Duration shutdownGrace;

  @Option(names = "--cleanup-interval", defaultValue = "1m", converter = Converters.Time.class,
      description = "How often expired bundles are looked for. Default: ${DEFAULT-VALUE}.")
  Duration cleanupInterval;

  @Option(names = "--initial-access-expiration", defaultValue = "30m", converter = Converters.MillisOrTime.class,
      description = "Delete a bundle not downloaded this long after its upload (a bare number is ms, as in the original). Default: ${DEFAULT-VALUE}.")
  Duration initialAccessExpiration;

  @Option(names = "--max-bundle-age", converter = Converters.Time.class,
      description = "Delete every bundle this old, downloaded or not. Default: off.")
  Duration maxBundleAge;

  @Option(names = "--max-total-size", defaultValue = "0", converter = Converters.Size.class,
      description = "Most bytes stored in all (507 beyond); 0 for no cap. Default: no cap.")
  long maxTotalSize;

  @Option(names = "--max-namespace-size", defaultValue = "0", converter = Converters.Size.class,
      description = "Most bytes stored for one namespace (413 beyond); 0 for no cap. Default: no cap.")
  long maxNamespaceSize;

  @Option(names = "--kubernetes", defaultValue = "auto",
      description = "auto: watch the cluster found the standard way (in-cluster, KUBECONFIG, ~/.kube/config) to delete bundles whose pods "
          + "are gone; off: expiry only. Default: ${DEFAULT-VALUE}.")
  ServerConfig.KubernetesMode kubernetes;

  @Option(names = "--kubernetes-master", description = "API server to watch, instead of the one found the standard way.")
  String kubernetesMaster;

  @Option(names = "--owner-grace-period", defaultValue = "5m", converter = Converters.Time.class,
      description = "After a bundle's owner pods were seen, delete it once none has existed this long. Default: ${DEFAULT-VALUE}.")
  Duration ownerGracePeriod;

  @Option(names = "--blob-grace", defaultValue = "1h", converter = Converters.Time.class,
      description = "Keep a file staged by digest that no bundle lists this long after it was uploaded or last reported present, "
          + "so that a client between its query and its commit keeps it. Default: ${DEFAULT-VALUE}.")
  Duration blobGrace;

  @Option(names = "--upload-auth", defaultValue = "none",
      description = "Who may upload: none (anyone who reaches the server), token (one shared token), or kubernetes "
          + "(users allowed to create pods in the owner's namespace). Default: ${DEFAULT-VALUE}.")
  UploadAuthConfig.Mode uploadAuth;

  @Option(names = "--upload-token", description = "The upload token (prefer --upload-token-file).")
  String uploadToken;

  @Option(names = "--upload-token-file", description = "File holding the upload token; re-read when it changes.")
  Path uploadTokenFile;

  @Option(names = "--upload-auth-max-failures", defaultValue = "10",
      description = "Failed upload authentications from one client before it is refused (429) for --upload-auth-lockout. "
          + "Default: ${DEFAULT-VALUE}.")
  int uploadAuthMaxFailures;

  @Option(names = "--upload-auth-lockout", defaultValue = "1m", converter = Converters.Time.class,
      description = "How long a client past --upload-auth-max-failures is refused. Default: ${DEFAULT-VALUE}.")
  Duration uploadAuthLockout;

  @Option(names = "--upload-auth-cache", defaultValue = "30s", converter = Converters.Time.class,
      description = "With --upload-auth kubernetes, how long a token's review and access decision are reused. Default: ${DEFAULT-VALUE}.")
  Duration uploadAuthCache;

  @Option(names = "--tls-enabled", arity = "0..1", fallbackValue = "true",
      description = "Serve HTTPS. Default: on when a key store or PEM key is given.")
  Boolean tlsEnabled;

  @Option(names = "--tls-keystore", description = "PKCS12 or JKS key store with the server's key and certificate.")
  Path tlsKeyStore;

  @Option(names = "--tls-keystore-type", defaultValue = "PKCS12",
      description = "Key store type. Default: ${DEFAULT-VALUE} (also reads JKS).")
  String tlsKeyStoreType;

  @Option(names = "--tls-keystore-password", description = "Key store password (prefer --tls-keystore-password-file).")
  String tlsKeyStorePassword;

  @Option(names = "--tls-keystore-password-file", description = "File holding the key store password.")
  Path tlsKeyStorePasswordFile;

  @Option(names = "--tls-key-password", description = "Password of the key inside the key store; defaults to the key store password.")
  String tlsKeyPassword;

  @Option(names = "--tls-key-password-file", description = "File holding the key password.")
  Path tlsKeyPasswordFile;

  @Option(names = "--tls-key-pem", description = "PEM file with the server's private key (unencrypted PKCS#8, PKCS#1 or EC).")
  Path tlsKeyPem;

  @Option(names = "--tls-cert-pem", description = "PEM file with the server's certificate chain, leaf first.")
  Path tlsCertPem;

  @Option(names = "--log-format", defaultValue = "text",
      description = "text, or json: one JSON object a line, with the request id, for a log pipeline. Default: ${DEFAULT-VALUE}.")
  ServerConfig.LogFormat logFormat;

  ServerConfig toConfig() {
    require(port >= 0 && port <= 65535, "--port must be between 0 and 65535, got " + port);
    require(maxBundleSize > 0, "--max-bundle-size must be positive");
    require(minFreeSpace >= 0, "--min-free-space must not be negative");
    require(!idleTimeout.isZero() && !idleTimeout.isNegative(), "--idle-timeout must be positive");
    require(acceptQueue > 0, "--accept-queue must be positive");
    require(maxDownloads >= 0, "--max-downloads must not be negative");
    try {
      trustedProxies.forEach(IpRange::parse);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--trusted-proxies: " + e.getMessage());
    }
    require(cleanupInterval.toMillis() > 0, "--cleanup-interval must be positive");
    require(initialAccessExpiration.toMillis() > 0, "--initial-access-expiration must be positive");
    require(maxBundleAge == null || maxBundleAge.toMillis() > 0, "--max-bundle-age must be positive");
    return new ServerConfig(host, port, dataDir, s3(), maxBundleSize, minFreeSpace, idleTimeout, minUploadRate, shutdownGrace, tls(),
        cleanupInterval, initialAccessExpiration, Optional.ofNullable(maxBundleAge), maxTotalSize, maxNamespaceSize, uploadAuth(),
        kubernetes, Optional.ofNullable(kubernetesMaster), ownerGracePeriod, blobGrace, logFormat, acceptQueue, maxDownloads,
        trustedProxies);
  }

  private Optional<S3Config> s3() {
    if (storage.equals("local")) {
      require(s3Endpoint == null && s3Region == null && !s3PathStyle && s3SpoolDir == null && downloadRedirect == null,
          "--s3-* options and --download-redirect need --storage s3://BUCKET/PREFIX");
      return Optional.empty();
    }
    String[] location = S3Config.parseLocation(storage);
    require(s3PartSize >= S3Config.MIN_PART_SIZE && s3PartSize <= S3Config.MAX_PART_SIZE,
        "--s3-part-size must be between 5m and 5g (S3's limits on a part), got " + s3PartSize);
    require(s3Endpoint == null || (s3Endpoint.getHost() != null && List.of("http", "https").contains(s3Endpoint.getScheme())),
        "--s3-endpoint must be an http or https URL, got " + s3Endpoint);
    require(downloadRedirect == null || (downloadRedirect.toSeconds() >= 1 && downloadRedirect.toDays() < 7),
        "--download-redirect must be between 1s and 7d (the longest a presigned URL lives)");
    require(!cleanupLease.isBlank(), "--cleanup-lease must not be empty");
    Path spool = s3SpoolDir != null ? s3SpoolDir : Path.of(System.getProperty("java.io.tmpdir"));
    require(Files.isDirectory(spool) && Files.isWritable(spool),
        "--s3-spool-dir: " + spool.toAbsolutePath() + " is not a writable directory");
    return Optional.of(new S3Config(location[0], location[1], Optional.ofNullable(s3Endpoint), Optional.ofNullable(s3Region), s3PathStyle,
        s3PartSize, spool, Optional.ofNullable(downloadRedirect), cleanupLease));
  }

  private UploadAuthConfig uploadAuth() {
    require(uploadAuthMaxFailures > 0, "--upload-auth-max-failures must be positive");
    require(uploadAuthLockout.toMillis() > 0, "--upload-auth-lockout must be positive");
    require(uploadAuthCache.toMillis() >= 0, "--upload-auth-cache must not be negative");
    require(uploadToken == null || uploadTokenFile == null, "give --upload-token or --upload-token-file, not both");
    if (uploadAuth != UploadAuthConfig.Mode.token) {
      require(uploadToken == null && uploadTokenFile == null, "an upload token is set but --upload-auth is " + uploadAuth
          + ": set --upload-auth token");
      return new UploadAuthConfig(uploadAuth, Optional.empty(), Optional.empty(), uploadAuthMaxFailures, uploadAuthLockout,
          uploadAuthCache);
    }
    require(uploadToken != null || uploadTokenFile != null, "--upload-auth token needs --upload-token-file or --upload-token");
    return new UploadAuthConfig(uploadAuth, Optional.ofNullable(uploadToken),
        Optional.ofNullable(uploadTokenFile).map(file -> readable(file, "--upload-token-file")), uploadAuthMaxFailures, uploadAuthLockout,
        uploadAuthCache);
  }

  private Optional<TlsConfig> tls() {
    require(tlsKeyStore == null || tlsKeyPem == null,
        "give either --tls-keystore or --tls-key-pem/--tls-cert-pem (spark.ssl.kubernetes.resourceStagingServer.keyStore or .keyPem), not both");
    require((tlsKeyPem == null) == (tlsCertPem == null),
        "--tls-key-pem and --tls-cert-pem (.keyPem and .serverCertPem) go together: give both or neither");
    boolean keyMaterial = tlsKeyStore != null || tlsKeyPem != null;
    if (Boolean.FALSE.equals(tlsEnabled) || (tlsEnabled == null && !keyMaterial)) {
      return Optional.empty();
    }
    require(keyMaterial, "--tls-enabled needs --tls-keystore or --tls-key-pem with --tls-cert-pem");
    if (tlsKeyPem != null) {
      return Optional.of(new TlsConfig.PemFiles(readable(tlsKeyPem, "--tls-key-pem"), readable(tlsCertPem, "--tls-cert-pem")));
    }
    String storePassword = secret(tlsKeyStorePassword, tlsKeyStorePasswordFile, "--tls-keystore-password");
    require(storePassword != null, "--tls-keystore needs --tls-keystore-password or --tls-keystore-password-file");
    String keyPassword = secret(tlsKeyPassword, tlsKeyPasswordFile, "--tls-key-password");
    return Optional.of(new TlsConfig.KeyStoreFile(readable(tlsKeyStore, "--tls-keystore"), tlsKeyStoreType, storePassword,
        keyPassword != null ? keyPassword : storePassword));
  }

  private static String secret(String value, Path file, String option) {
    require(value == null || file == null, "give " + option + " or " + option + "-file, not both");
    if (file == null) {
      return value;
    }
    try {
      // Secret files usually come from a Kubernetes Secret, often with a trailing newline.
      return Files.readString(readable(file, option + "-file"), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new ConfigException(option + "-file: cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static Path readable(Path file, String option) {
    require(Files.isRegularFile(file) && Files.isReadable(file), option + ": " + file.toAbsolutePath() + " is not a readable file");
    return file;
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new ConfigException(message);
    }
  }
}
