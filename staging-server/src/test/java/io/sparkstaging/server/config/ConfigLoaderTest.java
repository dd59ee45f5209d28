package io.sparkstaging.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkstaging.common.config.ConfigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir
  Path dir;
  private final StringWriter out = new StringWriter();

  private ServerConfig load(Map<String, String> env, String... args) {
    return ConfigLoader.load(args, env, new PrintWriter(out)).orElseThrow();
  }

  @Test
  void defaultsServeOnPort10000FromLocalDisk() {
    ServerConfig config = load(Map.of());

    assertThat(config.port()).isEqualTo(10000);
    assertThat(config.host()).isEqualTo("0.0.0.0");
    assertThat(config.dataDir()).isEqualTo(Path.of("staging-data"));
    assertThat(config.maxBundleSize()).isEqualTo(4L << 30);
    assertThat(config.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.tls()).isEmpty();
  }

  @Test
  void theConnectionAndAuthenticationLimitsAreSettings() {
    ServerConfig defaults = load(Map.of());
    assertThat(defaults.acceptQueue()).isEqualTo(4096);
    assertThat(defaults.maxDownloads()).isZero();
    assertThat(defaults.trustedProxies()).isEmpty();
    assertThat(defaults.uploadAuth().maxFailures()).isEqualTo(10);
    assertThat(defaults.uploadAuth().lockout()).isEqualTo(Duration.ofMinutes(1));
    assertThat(defaults.uploadAuth().decisionCache()).isEqualTo(Duration.ofSeconds(30));

    ServerConfig set = load(Map.of("STAGING_TRUSTED_PROXIES", "10.0.0.0/8,fd00::/8", "STAGING_UPLOAD_AUTH_LOCKOUT", "5m"),
        "--accept-queue", "1024", "--max-downloads", "64", "--upload-auth-max-failures", "3", "--upload-auth-cache", "0s");
    assertThat(set.acceptQueue()).isEqualTo(1024);
    assertThat(set.maxDownloads()).isEqualTo(64);
    assertThat(set.trustedProxies()).containsExactly("10.0.0.0/8", "fd00::/8");
    assertThat(set.uploadAuth().maxFailures()).isEqualTo(3);
    assertThat(set.uploadAuth().lockout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(set.uploadAuth().decisionCache()).isZero();
  }

  @Test
  void badLimitsAreRefusedNamingTheOption() {
    for (var args : java.util.List.of(new String[] {"--trusted-proxies", "ingress.example.com"}, new String[] {"--accept-queue", "0"},
        new String[] {"--max-downloads", "-1"}, new String[] {"--upload-auth-max-failures", "0"})) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> load(Map.of(), args)).hasMessageContaining(args[0]);
    }
  }

  @Test
  void commandLineBeatsEnvironmentWhichBeatsTheFile() throws IOException {
    Path file = write("server.properties", "port=1111\nmax-bundle-size=1g\ndata-dir=/from/file\n");

    ServerConfig config = load(Map.of("STAGING_PORT", "2222", "STAGING_DATA_DIR", "/from/env"),
        file.toString(), "--port", "3333");

    assertThat(config.port()).isEqualTo(3333);
    assertThat(config.dataDir()).isEqualTo(Path.of("/from/env"));
    assertThat(config.maxBundleSize()).isEqualTo(1L << 30);
  }

  @Test
  void acceptsTheOriginalServersConfigMapKeys() throws IOException {
    Path keyStore = write("keystore.p12", "not read at load time");
    Path password = write("password", "s3cret\n");
    Path file = write("original.properties", String.join("\n",
        "spark.kubernetes.resourceStagingServer.port=10001",
        "spark.ssl.kubernetes.resourceStagingServer.enabled=true",
        "spark.ssl.kubernetes.resourceStagingServer.keyStore=" + keyStore,
        "spark.ssl.kubernetes.resourceStagingServer.keyStorePasswordFile=" + password,
        "spark.ssl.kubernetes.resourceStagingServer.keyStoreType=JKS",
        "spark.kubernetes.resourceStagingServer.apiServer.url=https://kubernetes.default.svc"));

    ServerConfig config = load(Map.of(), file.toString());

    assertThat(config.port()).isEqualTo(10001);
    assertThat(config.tls()).contains(new TlsConfig.KeyStoreFile(keyStore, "JKS", "s3cret", "s3cret"));
  }

  @Test
  void expirySettingsTakeTheOriginalKeyInMillisecondsOrNativeDurations() throws IOException {
    Path file = write("expiry.properties", "spark.kubernetes.resourceStagingServer.initialAccessExpirationTimeout=600000\n");

    ServerConfig original = load(Map.of(), file.toString());
    ServerConfig nativeOptions = load(Map.of(), "--initial-access-expiration", "2h", "--max-bundle-age", "7d", "--cleanup-interval", "30s");

    assertThat(original.initialAccessExpiration()).isEqualTo(Duration.ofMinutes(10));
    assertThat(original.maxBundleAge()).isEmpty();
    assertThat(nativeOptions.initialAccessExpiration()).isEqualTo(Duration.ofHours(2));
    assertThat(nativeOptions.maxBundleAge()).contains(Duration.ofDays(7));
    assertThat(nativeOptions.cleanupInterval()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void originalTlsSwitchedOffKeepsPlainHttp() throws IOException {
    Path keyStore = write("keystore.p12", "x");
    Path file = write("off.properties", "spark.ssl.kubernetes.resourceStagingServer.enabled=false\n"
        + "spark.ssl.kubernetes.resourceStagingServer.keyStore=" + keyStore + "\n");

    assertThat(load(Map.of(), file.toString()).tls()).isEmpty();
  }

  @Test
  void pemKeyAndCertificateTurnTlsOn() throws IOException {
    Path key = write("key.pem", "k");
    Path cert = write("cert.pem", "c");

    ServerConfig config = load(Map.of(), "--tls-key-pem", key.toString(), "--tls-cert-pem", cert.toString());

    assertThat(config.tls()).contains(new TlsConfig.PemFiles(key, cert));
  }

  @Test
  void errorsNameTheSettingToFix() throws IOException {
    Path key = write("key.pem", "k");
    Path keyStore = write("ks", "x");

    assertThatThrownBy(() -> load(Map.of(), "--tls-key-pem", key.toString()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("--tls-cert-pem");
    assertThatThrownBy(() -> load(Map.of(), "--tls-keystore", keyStore.toString()))
        .hasMessageContaining("--tls-keystore-password");
    assertThatThrownBy(() -> load(Map.of(), "--tls-enabled"))
        .hasMessageContaining("--tls-keystore");
    assertThatThrownBy(() -> load(Map.of(), "--max-bundle-size", "lots"))
        .hasMessageContaining("--max-bundle-size");
    assertThatThrownBy(() -> load(Map.of("STAGING_IDLE_TIMEOUT", "30")))
        .hasMessageContaining("--idle-timeout");
    assertThatThrownBy(() -> load(Map.of(), "--port", "70000"))
        .hasMessageContaining("--port");
    assertThatThrownBy(() -> load(Map.of(), dir.resolve("missing.properties").toString()))
        .hasMessageContaining("missing.properties");
  }

  @Test
  void tokenUploadAuthNeedsAToken() throws IOException {
    Path token = write("token", "t\n");

    assertThat(load(Map.of(), "--upload-auth", "token", "--upload-token-file", token.toString()).uploadAuth().tokenFile()).contains(token);
    assertThatThrownBy(() -> load(Map.of(), "--upload-auth", "token")).hasMessageContaining("--upload-token-file");
    assertThatThrownBy(() -> load(Map.of(), "--upload-token", "t")).hasMessageContaining("--upload-auth token");
    assertThatThrownBy(() -> load(Map.of(), "--upload-auth", "bogus")).hasMessageContaining("--upload-auth");
    assertThat(load(Map.of(), "--upload-auth", "kubernetes").uploadAuth().mode()).isEqualTo(UploadAuthConfig.Mode.kubernetes);
    assertThat(load(Map.of("STAGING_UPLOAD_TOKEN", "hunter3", "STAGING_UPLOAD_AUTH", "token")).summary(1)).doesNotContain("hunter3");
  }

  @Test
  void helpIsPrintedNotRun() {
    Optional<ServerConfig> config = ConfigLoader.load(new String[] {"--help"}, Map.of(), new PrintWriter(out));

    assertThat(config).isEmpty();
    assertThat(out.toString()).contains("--max-bundle-size", "--data-dir", "PROPERTIES_FILE");
  }

  @Test
  void summaryNeverShowsAPassword() throws IOException {
    Path keyStore = write("ks.p12", "x");

    ServerConfig config = load(Map.of("STAGING_TLS_KEYSTORE_PASSWORD", "hunter2"), "--tls-keystore", keyStore.toString());

    assertThat(config.summary(config.port())).doesNotContain("hunter2").contains("https");
    assertThat(config.toString()).doesNotContain("hunter2");
  }

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  @Test
  void s3StorageFromTheCommandLineAndTheEnvironment() {
    ServerConfig config = load(Map.of("STAGING_S3_REGION", "eu-west-1", "STAGING_DOWNLOAD_REDIRECT", "5m"),
        "--storage", "s3://spark-deps/staging/team-a/", "--s3-endpoint", "http://minio:9000", "--s3-path-style");

    S3Config s3 = config.s3().orElseThrow();
    assertThat(s3.bucket()).isEqualTo("spark-deps");
    assertThat(s3.prefix()).isEqualTo("staging/team-a/");
    assertThat(s3.endpoint()).contains(java.net.URI.create("http://minio:9000"));
    assertThat(s3.region()).contains("eu-west-1");
    assertThat(s3.pathStyle()).isTrue();
    assertThat(s3.partSize()).isEqualTo(8L << 20);
    assertThat(s3.downloadRedirect()).contains(java.time.Duration.ofMinutes(5));
    assertThat(s3.cleanupLease()).isEqualTo("spark-staging-server-cleanup");
    assertThat(config.summary(1)).contains("storage s3://spark-deps/staging/team-a/ at http://minio:9000");
  }

  @Test
  void aBucketWithoutPrefixUsesTheBucketRoot() {
    assertThat(load(Map.of(), "--storage", "s3://deps").s3().orElseThrow().prefix()).isEmpty();
    assertThat(load(Map.of()).s3()).isEmpty();
  }

  @Test
  void badS3SettingsAreNamed() {
    assertThatThrownBy(() -> load(Map.of(), "--storage", "gs://deps")).hasMessageContaining("--storage must be local or s3://BUCKET");
    assertThatThrownBy(() -> load(Map.of(), "--storage", "s3://Deps_Bucket")).hasMessageContaining("--storage must be");
    assertThatThrownBy(() -> load(Map.of(), "--storage", "s3://deps//x")).hasMessageContaining("empty path segments");
    assertThatThrownBy(() -> load(Map.of(), "--storage", "s3://deps", "--s3-part-size", "1m")).hasMessageContaining("--s3-part-size");
    assertThatThrownBy(() -> load(Map.of(), "--storage", "s3://deps", "--s3-endpoint", "minio:9000")).hasMessageContaining("--s3-endpoint");
    assertThatThrownBy(() -> load(Map.of(), "--s3-endpoint", "http://minio:9000")).hasMessageContaining("need --storage s3://");
    assertThatThrownBy(() -> load(Map.of(), "--download-redirect", "5m")).hasMessageContaining("need --storage s3://");
    assertThatThrownBy(() -> load(Map.of(), "--storage", "s3://deps", "--download-redirect", "8d")).hasMessageContaining("7d");
  }
}
