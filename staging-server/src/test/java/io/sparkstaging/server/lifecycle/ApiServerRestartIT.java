package io.sparkstaging.server.lifecycle;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.WatchEventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import io.sparkstaging.server.store.BundleId;
import io.sparkstaging.server.support.TestServer;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API server lost mid-watch and brought back. Its state lives in a CRUD dispatcher that outlives
 * the HTTP side, as a real API server's lives in etcd.
 */
class ApiServerRestartIT {
  private static final String OWNER =
      "{\"ownerNamespace\":\"team-a\",\"ownerLabels\":{\"spark-app-selector\":\"spark-app-1\"},\"ownerType\":\"Pod\"}";

  @TempDir
  Path dataDir;

  /**
   * The CRUD mock, answering a watch that resumes from before its last {@link #compact()} with
   * {@code 410 Gone}, as a real API server does once the resource version has left its watch cache.
   * The plain mock would resume the watch silently and never send the events it missed.
   */
  static final class CompactingDispatcher extends KubernetesCrudDispatcher {
    private static final Pattern RESOURCE_VERSION = Pattern.compile("[?&]resourceVersion=(\\d+)");
    private volatile long compactedBelow;

    void compact() {
      compactedBelow = requestResourceVersion();
    }

    @Override
    public MockResponse handleWatch(String path) {
      Matcher version = RESOURCE_VERSION.matcher(path);
      if (version.find() && Long.parseLong(version.group(1)) < compactedBelow) {
        var gone = new WatchEventBuilder().withType("ERROR").withObject(new StatusBuilder().withStatus("Failure").withCode(410)
            .withReason("Expired").withMessage("too old resource version: " + version.group(1)).build()).build();
        return new MockResponse().withWebSocketUpgrade(new WebSocketListener() {
          @Override
          public void onOpen(WebSocket socket, Response response) {
            socket.send(new KubernetesSerialization().asJson(gone));
            socket.close(1000, "expired");
          }
        });
      }
      return super.handleWatch(path);
    }
  }

  private final CompactingDispatcher state = new CompactingDispatcher();
  private final List<KubernetesMockServer> servers = new ArrayList<>();

  @AfterEach
  void stopApiServers() {
    servers.forEach(KubernetesMockServer::destroy);
  }

  private KubernetesMockServer apiServer(int port) throws Exception {
    var server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), state, false);
    server.init(InetAddress.getLoopbackAddress(), port);
    return server;
  }

  private static BundleId upload(TestServer staging) {
    var receipt = given().header("Bundle-Owner", OWNER).body(new byte[10]).post(staging.baseUri() + "/api/v1/bundles");
    receipt.then().statusCode(201);
    BundleId id = BundleId.parse(receipt.path("resourceId")).orElseThrow();
    await().atMost(Duration.ofSeconds(20)).until(() -> staging.store().find(id).orElseThrow().ownerSeenAt().isPresent());
    return id;
  }

  private TestServer stagingWatching(int apiServerPort) throws Exception {
    return TestServer.start(dataDir, settings -> {
      settings.kubernetesMaster = "http://127.0.0.1:" + apiServerPort;
      settings.ownerGracePeriod = Duration.ofSeconds(1);
      settings.cleanupInterval = Duration.ofMillis(200);
    });
  }

  private int apiServerWithDriverPod() throws Exception {
    KubernetesMockServer first = apiServer(0);
    try (KubernetesClient client = first.createClient()) {
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("team-a").endMetadata().build()).create();
      client.pods().inNamespace("team-a").resource(new PodBuilder().withNewMetadata().withName("driver").withNamespace("team-a")
          .addToLabels("spark-app-selector", "spark-app-1").endMetadata().build()).create();
    }
    servers.add(first);
    return first.getPort();
  }

  @Test
  void losingTheApiServerMidWatchDeletesNothing() throws Exception {
    int port = apiServerWithDriverPod();
    try (var staging = stagingWatching(port)) {
      BundleId id = upload(staging);

      servers.get(0).destroy();
      // Longer than the grace period: an unreachable API server must not read as "the pods are gone".
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> staging.store().find(id).isPresent());
    }
  }

  @Test
  void aPodDeletedWhileTheWatchWasDownIsFoundByTheResync() throws Exception {
    int port = apiServerWithDriverPod();
    try (var staging = stagingWatching(port)) {
      BundleId id = upload(staging);

      servers.get(0).destroy();
      KubernetesMockServer other = apiServer(0);
      servers.add(other);
      try (KubernetesClient client = other.createClient()) {
        client.pods().inNamespace("team-a").withName("driver").delete();
      }
      other.destroy();
      state.compact();
      servers.add(apiServer(port));

      // The resumed watch gets 410 Gone, the informer re-lists, and the missed deletion shows.
      await().atMost(Duration.ofSeconds(30)).until(() -> staging.store().find(id).isEmpty());
    }
  }
}
