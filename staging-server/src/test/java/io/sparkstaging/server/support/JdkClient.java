package io.sparkstaging.server.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkstaging.common.wire.ManifestFile;
import io.sparkstaging.common.wire.Routes;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.DigestInputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

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

  /**
   * Stages named contents by digest into the test owner's namespace: uploads each file, then
   * commits them in order, and returns the receipt.
   *
   * @param files name, then content, for each file
   */
  public JsonNode stageByDigest(String baseUri, Map<String, byte[]> files) throws Exception {
    String namespace = json.readTree(Bundles.OWNER_JSON).get("ownerNamespace").asText();
    List<ManifestFile> listed = new ArrayList<>();
    for (var file : files.entrySet()) {
      String sha256 = Bundles.sha256Hex(file.getValue());
      HttpResponse<String> put = client.send(HttpRequest.newBuilder(URI.create(baseUri + Routes.v1Blob(namespace, sha256)))
          .PUT(HttpRequest.BodyPublishers.ofByteArray(file.getValue())).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(put.statusCode()).as(put.body()).isIn(200, 201);
      listed.add(new ManifestFile(file.getKey(), sha256, file.getValue().length, file.getKey().endsWith(".sh") ? 0755 : 0644));
    }
    String commit = "{\"owner\":" + Bundles.OWNER_JSON + ",\"files\":" + json.writeValueAsString(listed) + "}";
    HttpResponse<String> committed = client.send(HttpRequest.newBuilder(URI.create(baseUri + Routes.v1Manifests(namespace)))
        .POST(HttpRequest.BodyPublishers.ofString(commit)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(committed.statusCode()).as(committed.body()).isEqualTo(201);
    return json.readTree(committed.body());
  }
}
