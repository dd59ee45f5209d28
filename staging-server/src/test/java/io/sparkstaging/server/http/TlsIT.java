package io.sparkstaging.server.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.restassured.config.RestAssuredConfig;
import io.restassured.config.SSLConfig;
import io.restassured.response.Response;
import io.sparkstaging.server.config.TlsConfig;
import io.sparkstaging.server.support.Bundles;
import io.sparkstaging.server.support.SelfSignedCertificate;
import io.sparkstaging.server.support.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS with the key in a key store or in PEM files, verified by a client that trusts only that certificate. */
class TlsIT {
  private static SelfSignedCertificate certificate;
  private static RestAssuredConfig trusting;

  @TempDir
  Path dir;

  @BeforeAll
  static void makeCertificate() throws Exception {
    certificate = new SelfSignedCertificate();
    trusting = RestAssuredConfig.config().sslConfig(SSLConfig.sslConfig().trustStore(certificate.trustStore()));
  }

  @Test
  void servesFromAPkcs12KeyStore() throws Exception {
    Path store = certificate.writeKeyStore(dir.resolve("server.p12"), "store-pass");
    roundTripOver(new TlsConfig.KeyStoreFile(store, "PKCS12", "store-pass", "store-pass"));
  }

  @Test
  void servesFromAPkcs8PemKeyAndCertificate() throws Exception {
    roundTripOver(
        new TlsConfig.PemFiles(certificate.writePkcs8Key(dir.resolve("key.pem")), certificate.writeCertificate(dir.resolve("cert.pem"))));
  }

  @Test
  void servesFromAPkcs1PemKey() throws Exception {
    roundTripOver(
        new TlsConfig.PemFiles(certificate.writePkcs1Key(dir.resolve("rsa.pem")), certificate.writeCertificate(dir.resolve("cert.pem"))));
  }

  @Test
  void aWrongKeyStorePasswordStopsTheStart() throws Exception {
    Path store = certificate.writeKeyStore(dir.resolve("server.p12"), "store-pass");

    assertThatThrownBy(
        () -> TestServer.start(dir.resolve("data"), s -> s.tls = new TlsConfig.KeyStoreFile(store, "PKCS12", "wrong", "wrong")))
        .hasMessageContaining("password");
  }

  @Test
  void aPemFileWithoutAKeyStopsTheStart() throws Exception {
    Path cert = certificate.writeCertificate(dir.resolve("cert.pem"));

    assertThatThrownBy(() -> TestServer.start(dir.resolve("data"), s -> s.tls = new TlsConfig.PemFiles(cert, cert)))
        .hasMessageContaining("holds no unencrypted private key");
  }

  private void roundTripOver(TlsConfig tls) throws Exception {
    try (var server = TestServer.start(Files.createDirectories(dir.resolve("data")), settings -> settings.tls = tls)) {
      assertThat(server.baseUri()).startsWith("https://");
      byte[] content = Bundles.random(50_000, 1);

      Response receipt = given().config(trusting).header("Bundle-Owner", Bundles.OWNER_JSON).body(content)
          .post(server.baseUri() + "/api/v1/bundles");
      receipt.then().statusCode(201);

      byte[] downloaded = given().config(trusting).header("Authorization", receipt.<String>path("resourceSecret"))
          .get(server.baseUri() + "/api/v0/resources/" + receipt.path("resourceId"))
          .then().statusCode(200).extract().asByteArray();
      assertThat(downloaded).isEqualTo(content);
    }
  }
}
