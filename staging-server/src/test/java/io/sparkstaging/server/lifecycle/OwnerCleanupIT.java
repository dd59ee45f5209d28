package io.sparkstaging.server.lifecycle;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.restassured.response.Response;
import io.sparkstaging.server.store.BundleId;
import io.sparkstaging.server.support.TestServer;
import io.sparkstaging.server.support.TestSettings;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bundles go when their owner's pods are gone, against fabric8's mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true, https = false)
class OwnerCleanupIT {
  private static final String OWNER =
      "{\"ownerNamespace\":\"team-a\",\"ownerLabels\":{\"spark-app-selector\":\"spark-app-1\"},\"ownerType\":\"Pod\"}";

  KubernetesClient client;

  @TempDir
  Path dataDir;

  @BeforeEach
  void namespace() {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("team-a").endMetadata().build()).create();
  }

  private Consumer<TestSettings> watching(String master) {
    return settings -> {
      settings.kubernetesMaster = master;
      settings.ownerGracePeriod = Duration.ofSeconds(1);
      settings.cleanupInterval = Duration.ofMillis(200);
    };
  }

  private TestServer start() throws Exception {
    return TestServer.start(dataDir, watching(client.getConfiguration().getMasterUrl()));
  }

  private static Response upload(TestServer server) {
    Response receipt = given().header("Bundle-Owner", OWNER).body(new byte[10]).post(server.baseUri() + "/api/v1/bundles");
    receipt.then().statusCode(201);
    return receipt;
  }

  private void driverPod(String name) {
    client.pods().inNamespace("team-a").resource(new PodBuilder().withNewMetadata().withName(name).withNamespace("team-a")
        .addToLabels("spark-app-selector", "spark-app-1").addToLabels("spark-role", "driver").endMetadata()
        .withNewSpec().addNewContainer().withName("spark-kubernetes-driver").withImage("spark").endContainer().endSpec().build()).create();
  }

  private static BundleId id(Response receipt) {
    return BundleId.parse(receipt.path("resourceId")).orElseThrow();
  }

  private static void awaitOwnerSeen(TestServer server, Response receipt) {
    await().atMost(Duration.ofSeconds(20)).until(() -> server.store().find(id(receipt)).orElseThrow().ownerSeenAt().isPresent());
  }

  @Test
  void aBundleGoesOnceItsOwnersPodsAreGoneForTheGracePeriod() throws Exception {
    try (var server = start()) {
      Response receipt = upload(server);
      driverPod("app-1-driver");
      awaitOwnerSeen(server, receipt);

      client.pods().inNamespace("team-a").withName("app-1-driver").delete();

      await().atMost(Duration.ofSeconds(20)).until(() -> server.store().find(id(receipt)).isEmpty());
    }
  }

  @Test
  void aBundleGoesWithItsNamespace() throws Exception {
    try (var server = start()) {
      Response receipt = upload(server);

      // Seen first, as in a cluster: the app runs, then its namespace is deleted. (The mock API
      // server, unlike a real one, does not replay a deletion to a watch that starts after it.)
      driverPod("app-1-driver");
      awaitOwnerSeen(server, receipt);
      client.namespaces().withName("team-a").delete();

      await().atMost(Duration.ofSeconds(20)).until(() -> server.store().find(id(receipt)).isEmpty());
    }
  }

  @Test
  void aBundleWhoseOwnerWasNeverSeenIsLeftToExpiry() throws Exception {
    try (var server = start()) {
      Response receipt = upload(server);

      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> server.store().find(id(receipt)).isPresent());
    }
  }

  @Test
  void aRestartRemembersTheOwnerWasSeenButDeletesNothingEarly() throws Exception {
    Response receipt;
    try (var server = start()) {
      receipt = upload(server);
      driverPod("app-1-driver");
      awaitOwnerSeen(server, receipt);
    }
    client.pods().inNamespace("team-a").withName("app-1-driver").delete();

    try (var restarted = start()) {
      assertThat(restarted.store().find(id(receipt)).orElseThrow().ownerSeenAt()).isPresent();
      await().atMost(Duration.ofSeconds(20)).until(() -> restarted.store().find(id(receipt)).isEmpty());
    }
  }

  @Test
  void anUnreachableApiServerDeletesNothing() throws Exception {
    int closedPort;
    try (var socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (var server = TestServer.start(dataDir, watching("http://127.0.0.1:" + closedPort))) {
      Response receipt = upload(server);

      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> server.store().find(id(receipt)).isPresent());
    }
  }
}
