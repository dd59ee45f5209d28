package io.sparkstaging.server.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.DigestInputStream;
import java.util.HexFormat;

/** v1 uploads and streamed, hashed downloads with the JDK client, for tests that move a lot of bytes. */
public final class JdkClient {
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final ObjectMapper json = new ObjectMapper();

  public JsonNode upload(String baseUri, HttpRequest.BodyPublisher body) throws Exception {
    HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(baseUri + "/api/v1/bundles"))
        .header("Bundle-Owner", Bundles.OWNER_JSON).POST(body).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return json.readTree(response.body());
  }

  public JsonNode upload(String baseUri, byte[] content) throws Exception {
    return upload(baseUri, HttpRequest.BodyPublishers.ofByteArray(content));
  }

  /** Starts a download and returns its body unread. */
  public InputStream download(String baseUri, JsonNode receipt) throws Exception {
    HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(
        URI.create(baseUri + "/api/v1/bundles/" + receipt.get("resourceId").asText()))
        .header("Authorization", "Bearer " + receipt.get("resourceSecret").asText()).build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  /** Downloads without keeping the bytes and returns their hex SHA-256. */
  public String downloadSha256(String baseUri, JsonNode receipt) throws Exception {
    try (var in = new DigestInputStream(download(baseUri, receipt), Bundles.sha256())) {
      in.transferTo(OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(in.getMessageDigest().digest());
    }
  }
}
