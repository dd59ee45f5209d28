package io.sparkstaging.submit.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkstaging.common.tls.TrustConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagingTrustTest {
  private static final String SSL = "spark.ssl.kubernetes.resourceStagingServer.";

  @TempDir
  Path dir;

  @Test
  void theClientReadsTheOriginalKeys() {
    assertThat(
        StagingTrust.forClient(Map.of(SSL + "trustStore", "/ts.jks", SSL + "trustStoreType", "JKS", SSL + "trustStorePassword", "pw")))
        .isEqualTo(new TrustConfig.TrustStoreFile(Path.of("/ts.jks"), "JKS", "pw"));
    assertThat(StagingTrust.forClient(Map.of(SSL + "clientCertPem", "/ca.pem")))
        .isEqualTo(new TrustConfig.PemCertificates(Path.of("/ca.pem")));
    assertThat(StagingTrust.forClient(Map.of(SSL + "enabled", "false", SSL + "clientCertPem", "/ca.pem")))
        .isEqualTo(new TrustConfig.SystemDefault());
    assertThatThrownBy(() -> StagingTrust.forClient(Map.of(SSL + "trustStore", "/a", SSL + "clientCertPem", "/b")))
        .hasMessageContaining("not both");
  }

  @Test
  void aSubmitterLocalFileForThePodsIsShippedInTheSecret() throws IOException {
    Path pem = Files.writeString(dir.resolve("ca.pem"), "CERT");

    StagingTrust.ForPods trust = StagingTrust.forPods(Map.of(SSL + "internal.clientCertPem", pem.toString()), "/mnt/secrets/spark-init");

    assertThat(trust.initProperties()).containsEntry(SSL + "clientCertPem", "/mnt/secrets/spark-init/ssl-certificate");
    assertThat(trust.secretData()).containsEntry("ssl-certificate", Base64.getEncoder().encodeToString("CERT".getBytes()));
  }

  @Test
  void aLocalUriIsAlreadyInThePodAndTheInternalKeysWin() {
    StagingTrust.ForPods trust = StagingTrust.forPods(Map.of(SSL + "trustStore", "/outside.jks", SSL + "internal.trustStore",
        "local:///etc/ssl/staging.jks", SSL + "trustStorePassword", "pw"), "/mnt/secrets/spark-init");

    assertThat(trust.initProperties()).containsEntry(SSL + "trustStore", "/etc/ssl/staging.jks").containsEntry(SSL + "trustStorePassword",
        "pw");
    assertThat(trust.secretData()).isEmpty();
  }
}
