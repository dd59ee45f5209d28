package io.sparkstaging.server.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.response.Response;
import io.sparkstaging.server.config.UploadAuthConfig;
import io.sparkstaging.server.support.AccessLogCapture;
import io.sparkstaging.server.support.Bundles;
import io.sparkstaging.server.support.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Behind an ingress: the client is the one the trusted proxies name, for the limiter and the access log. */
class TrustedProxiesIT {
  private static final String TOKEN = "upload-token-for-tests";

  @TempDir
  Path dataDir;
  @RegisterExtension
  final AccessLogCapture accessLog = new AccessLogCapture();

  private TestServer start(List<String> trustedProxies) throws Exception {
    return TestServer.start(dataDir, settings -> {
      settings.uploadAuth = new UploadAuthConfig(UploadAuthConfig.Mode.token, Optional.of(TOKEN), Optional.empty());
      settings.trustedProxies = trustedProxies;
    });
  }

  private static Response upload(TestServer server, String token, Map<String, String> forwarding) {
    return given().header("Bundle-Owner", Bundles.OWNER_JSON).header("Authorization", "Bearer " + token).headers(forwarding)
        .body(new byte[10]).post(server.baseUri() + "/api/v1/bundles");
  }

  @Test
  void behindATrustedProxyTheLimiterKeysOnTheClientItNamesReadFromTheRight() throws Exception {
    try (var server = start(List.of("127.0.0.1"))) {
      for (int i = 0; i < 10; i++) {
        upload(server, "guess-" + i, Map.of("X-Forwarded-For", "203.0.113.5")).then().statusCode(401);
      }

      upload(server, "guess", Map.of("X-Forwarded-For", "203.0.113.5")).then().statusCode(429);
      upload(server, "guess", Map.of("Forwarded", "for=\"203.0.113.5:4711\";proto=https")).then().statusCode(429);
      // What a client writes left of the proxy's entry is its own claim: ignored.
      upload(server, "guess", Map.of("X-Forwarded-For", "198.51.100.9, 203.0.113.5")).then().statusCode(429);
      // Another client behind the same ingress, and the ingress itself, are not locked out.
      upload(server, TOKEN, Map.of("X-Forwarded-For", "203.0.113.6")).then().statusCode(201);
      upload(server, "guess", Map.of()).then().statusCode(401);

      await().atMost(Duration.ofSeconds(5)).until(() -> accessLog.size() >= 15);
      assertThat(accessLog.lines().stream())
          .anyMatch(line -> line.startsWith("203.0.113.6 \"POST /api/v1/bundles HTTP/1.1\" 201"));
    }
  }

  @Test
  void withoutTrustedProxiesForwardingHeadersAreIgnored() throws Exception {
    try (var server = start(List.of())) {
      for (int i = 0; i < 10; i++) {
        upload(server, "guess-" + i, Map.of("X-Forwarded-For", "203.0.113.5")).then().statusCode(401);
      }

      // Anyone could write that header: the key stays the connection's own address.
      upload(server, "guess", Map.of("X-Forwarded-For", "203.0.113.6")).then().statusCode(429);
      await().atMost(Duration.ofSeconds(5)).until(() -> accessLog.size() >= 11);
      assertThat(accessLog.lines().stream()).allMatch(line -> line.startsWith("127.0.0.1 "));
    }
  }

  @Test
  void proxyAddressesAreCheckedWhenTheServerStarts() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new TrustedProxies(List.of("10.0.0.0/8", "ingress.example.com")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ingress.example.com");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new TrustedProxies(List.of("10.0.0.0/33"))).hasMessageContaining("prefix");
  }
}
