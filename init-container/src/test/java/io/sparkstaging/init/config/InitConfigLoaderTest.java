package io.sparkstaging.init.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkstaging.common.config.ConfigException;
import io.sparkstaging.common.tls.TrustConfig;
import io.sparkstaging.init.config.InitConfig.StagedBundleRef;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitConfigLoaderTest {
  @TempDir
  Path dir;
  private final Set<String> ignored = new HashSet<>();

  private InitConfig load(Map<String, String> env, String... args) {
    return InitConfigLoader.load(args, env, new PrintWriter(new StringWriter()), ignored::addAll).orElseThrow();
  }

  @Test
  void readsTheOriginalInitContainersProperties() throws IOException {
    Path file = Files.writeString(dir.resolve("spark-init.properties"), String.join("\n",
        "spark.kubernetes.resourceStagingServer.uri=http://staging.spark.svc:10000/",
        "spark.kubernetes.initcontainer.downloadJarsResourceIdentifier=0123456789abcdef0123456789abcdef",
        "spark.kubernetes.initcontainer.downloadJarsSecretLocation=/mnt/secrets/spark-init/downloadSubmittedJarsSecret",
        "spark.kubernetes.initcontainer.downloadFilesResourceIdentifier=fedcba9876543210fedcba9876543210",
        "spark.kubernetes.initcontainer.downloadFilesSecretLocation=/mnt/secrets/spark-init/downloadSubmittedFilesSecret",
        "spark.kubernetes.initcontainer.remoteJars=https://repo.example.com/a.jar, http://repo.example.com/b.jar",
        "spark.kubernetes.initcontainer.remoteFiles=https://data.example.com/lookup.csv",
        "spark.kubernetes.mountdependencies.jarsDownloadDir=/var/spark-data/spark-jars",
        "spark.kubernetes.mountdependencies.filesDownloadDir=/var/spark-data/spark-files",
        "spark.kubernetes.mountdependencies.mountTimeout=7",
        "spark.ssl.kubernetes.resourceStagingServer.enabled=true",
        "spark.ssl.kubernetes.resourceStagingServer.trustStore=/mnt/secrets/spark-init/trustStore",
        "spark.ssl.kubernetes.resourceStagingServer.trustStorePassword=changeit",
        "spark.ssl.kubernetes.resourceStagingServer.trustStoreType=JKS"));

    InitConfig config = load(Map.of(), file.toString());

    assertThat(config.stagingServer()).contains(URI.create("http://staging.spark.svc:10000"));
    assertThat(config.jars())
        .contains(new StagedBundleRef("0123456789abcdef0123456789abcdef", Path.of("/mnt/secrets/spark-init/downloadSubmittedJarsSecret")));
    assertThat(config.files())
        .contains(new StagedBundleRef("fedcba9876543210fedcba9876543210", Path.of("/mnt/secrets/spark-init/downloadSubmittedFilesSecret")));
    assertThat(config.remoteJars()).containsExactly(URI.create("https://repo.example.com/a.jar"),
        URI.create("http://repo.example.com/b.jar"));
    assertThat(config.remoteFiles()).containsExactly(URI.create("https://data.example.com/lookup.csv"));
    assertThat(config.timeout()).isEqualTo(Duration.ofMinutes(7));
    assertThat(config.trust()).isEqualTo(new TrustConfig.TrustStoreFile(Path.of("/mnt/secrets/spark-init/trustStore"), "JKS", "changeit"));
    assertThat(ignored).isEmpty();
  }

  @Test
  void internalKeysWinOverTheirPlainTwins() throws IOException {
    Path file = Files.writeString(dir.resolve("p"), String.join("\n",
        "spark.kubernetes.resourceStagingServer.uri=https://staging.example.com",
        "spark.kubernetes.resourceStagingServer.internal.uri=http://staging.spark.svc:10000",
        "spark.ssl.kubernetes.resourceStagingServer.clientCertPem=/outside.pem",
        "spark.ssl.kubernetes.resourceStagingServer.internal.clientCertPem=/inside.pem"));

    InitConfig config = load(Map.of(), file.toString());

    assertThat(config.stagingServer()).contains(URI.create("http://staging.spark.svc:10000"));
    assertThat(config.trust()).isEqualTo(new TrustConfig.PemCertificates(Path.of("/inside.pem")));
  }

  @Test
  void defaultsAreTheOriginalOnes() {
    InitConfig config = load(Map.of());

    assertThat(config.jarsDir()).isEqualTo(Path.of("/var/spark-data/spark-jars"));
    assertThat(config.filesDir()).isEqualTo(Path.of("/var/spark-data/spark-files"));
    assertThat(config.timeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.trust()).isEqualTo(new TrustConfig.SystemDefault());
    assertThat(config.stagingServer()).isEmpty();
    assertThat(config.remoteJars()).isEmpty();
  }

  @Test
  void nativeFlagsAndEnvironmentWork() {
    InitConfig config = load(Map.of("STAGING_INIT_TIMEOUT", "90s"), "--staging-server", "http://s:1", "--jars-resource-id", "abc",
        "--jars-secret-file", "/s/j");

    assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(config.jars()).contains(new StagedBundleRef("abc", Path.of("/s/j")));
  }

  @Test
  void helpListsEveryOptionWithItsDefaultAndConfiguresNothing() {
    var out = new StringWriter();

    assertThat(InitConfigLoader.load(new String[] {"--help"}, Map.of(), new PrintWriter(out), ignored::addAll)).isEmpty();
    // Lines wrap at the terminal's width: compared with single spaces.
    assertThat(out.toString().replaceAll("\\s+", " ")).contains("Usage: init-container [-hV]", "[PROPERTIES_FILE]", "--staging-server=URI",
        "--jars-resource-id=ID", "--jars-secret-file=FILE", "--files-resource-id=ID",
        "--files-secret-file=FILE", "--remote-jars=URI,...", "--remote-files=URI,...", "--unpack-archives=NAME#ALIAS,...",
        "--archives-dir=DIR", "--jars-dir=DIR", "--files-dir=DIR", "--timeout=DURATION", "Default: 5 minutes",
        "--tls-enabled[=BOOLEAN]", "--trust-store=FILE", "--trust-store-password=PASSWORD", "--trust-store-type=TYPE", "Default: PKCS12",
        "--trust-cert-pem=FILE", "--max-unpacked-size=SIZE", "Default: 8g", "--max-entries=COUNT", "Default: 100000", "-h, --help",
        "-V, --version");
  }

  @Test
  void trustComesFromFlagsAndTheEnvironment() {
    assertThat(load(Map.of(), "--trust-store", "/t.p12", "--trust-store-password", "pw").trust())
        .isEqualTo(new TrustConfig.TrustStoreFile(Path.of("/t.p12"), "PKCS12", "pw"));
    assertThat(load(Map.of("STAGING_INIT_TRUST_CERT_PEM", "/ca.pem")).trust())
        .isEqualTo(new TrustConfig.PemCertificates(Path.of("/ca.pem")));
  }

  @Test
  void tlsSwitchedOffIgnoresTheTrustSettings() {
    assertThat(load(Map.of(), "--tls-enabled=false", "--trust-cert-pem", "/x.pem").trust()).isEqualTo(new TrustConfig.SystemDefault());
  }

  @Test
  void errorsNameTheSetting() {
    assertThatThrownBy(() -> load(Map.of(), "--jars-resource-id", "abc")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("--staging-server");
    assertThatThrownBy(() -> load(Map.of(), "--remote-jars", "hdfs://nn/a.jar")).hasMessageContaining("--remote-jars");
    assertThatThrownBy(() -> load(Map.of(), "--staging-server", "ftp://s")).hasMessageContaining("--staging-server");
    assertThatThrownBy(() -> load(Map.of(), "--timeout", "soon")).hasMessageContaining("--timeout");
    assertThatThrownBy(() -> load(Map.of(), "--trust-store", "/a", "--trust-cert-pem", "/b")).hasMessageContaining("--trust-store");
  }

  @Test
  void unknownKeysAreReported() throws IOException {
    Path file = Files.writeString(dir.resolve("q"), "spark.kubernetes.initcontainer.remoteJar=http://x/a.jar\n");

    load(Map.of(), file.toString());

    assertThat(ignored).isEqualTo(Set.copyOf(List.of("spark.kubernetes.initcontainer.remoteJar")));
  }

  @Test
  void archivesToUnpackNameAPlainFileAndADirectoryBesideTheFiles() {
    InitConfig config = load(Map.of(), "--files-dir", "/pod/files", "--unpack-archives", "env.tar.gz#environment, deps.zip");

    assertThat(config.archives()).containsExactly(new InitConfig.ArchiveAlias("env.tar.gz", "environment"),
        new InitConfig.ArchiveAlias("deps.zip", "deps.zip"));
    assertThat(config.archivesDir()).isEqualTo(java.nio.file.Path.of("/pod/files/.archives"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> load(Map.of(), "--unpack-archives", "env.tar.gz#../escape"))
        .isInstanceOf(io.sparkstaging.common.config.ConfigException.class).hasMessageContaining("both plain file names");
  }
}
