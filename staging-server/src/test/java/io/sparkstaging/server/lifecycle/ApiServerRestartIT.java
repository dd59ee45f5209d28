package io.sparkstaging.server.lifecycle;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.restassured.response.Response;
import io.sparkstaging.server.store.BundleId;
import io.sparkstaging.server.support.TestServer;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An API server lost mid-watch: nothing is judged while it is gone. (Resyncing after it comes back
 * is fabric8's re-list and re-watch; the mock cannot show it, as it loses its state and resource
 * versions when restarted, which a real API server, backed by etcd, does not.)
 */
class ApiServerRestartIT {
  private static final String OWNER = "{\"ownerNamespace\":\"team-a\",\"ownerLabels\":{\"spark-app-selector\":\"spark-app-1\"},\"ownerType\":\"Pod\"}";

  @TempDir Path dataDir;

  private static KubernetesMockServer apiServer(int port) throws Exception {
    var server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
    server.init(InetAddress.getLoopbackAddress(), port);
    return server;
  }

  private static void namespace(KubernetesClient client) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("team-a").endMetadata().build()).create();
  }

  @Test
  void losingTheApiServerMidWatchDeletesNothing() throws Exception {
    KubernetesMockServer first = apiServer(0);
    int port = first.getPort();
    try (KubernetesClient client = first.createClient()) {
      namespace(client);
      client.pods().inNamespace("team-a").resource(new PodBuilder().withNewMetadata().withName("driver").withNamespace("team-a")
          .addToLabels("spark-app-selector", "spark-app-1").endMetadata().build()).create();
    }

    try (var staging = TestServer.start(dataDir, settings -> {
      settings.kubernetesMaster = "http://127.0.0.1:" + port;
      settings.ownerGracePeriod = Duration.ofSeconds(1);
      settings.cleanupInterval = Duration.ofMillis(200);
    })) {
      Response receipt = given().header("Bundle-Owner", OWNER).body(new byte[10]).post(staging.baseUri() + "/api/v1/bundles");
      BundleId id = BundleId.parse(receipt.path("resourceId")).orElseThrow();
      await().atMost(Duration.ofSeconds(20)).until(() -> staging.store().find(id).orElseThrow().ownerSeenAt().isPresent());

      first.destroy();
      // Longer than the grace period: an unreachable API server must not read as "the pods are gone".
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> staging.store().find(id).isPresent());
    }
  }
}
