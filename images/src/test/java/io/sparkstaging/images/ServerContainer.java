package io.sparkstaging.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sparkstaging.common.images.ProjectImages;
import io.sparkstaging.server.support.Kustomize;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The server's image run as k8s-manifests/base runs it: the Deployment's security context, memory
 * limit, ConfigMap and volumes, through {@link KubeletStandIn}, its port published on loopback.
 * Outside a cluster two settings must change: uploads are not authenticated (there is no API
 * server to review tokens), and no cluster is watched.
 */
final class ServerContainer implements AutoCloseable {
  static final Map<String, String> OUTSIDE_A_CLUSTER = Map.of("STAGING_UPLOAD_AUTH", "none", "STAGING_KUBERNETES", "off");

  private final String name;
  private final Deployment deployment;
  private String baseUri;

  private ServerContainer(String name, Deployment deployment) {
    this.name = name;
    this.deployment = deployment;
  }

  /**
   * Creates and starts the container; {@code podSpec} may change the pod before it runs (a test's
   * unwritable volume, say).
   */
  static ServerContainer start(String name, Path volumes, KubernetesClient parser, UnaryOperator<PodSpec> podSpec)
      throws IOException, InterruptedException {
    Podman.build("staging-server/Dockerfile", ProjectImages.server());
    List<HasMetadata> base = Kustomize.render(Podman.ROOT.resolve("k8s-manifests/base"), parser);
    Deployment deployment = only(base, Deployment.class);
    ConfigMap config = new ConfigMapBuilder(only(base, ConfigMap.class)).addToData(OUTSIDE_A_CLUSTER).build();
    PodSpec spec = podSpec.apply(deployment.getSpec().getTemplate().getSpec());
    Container server = spec.getContainers().get(0);
    assertThat(server.getImage()).isEqualTo(ProjectImages.server());
    var kubelet = new KubeletStandIn(spec, "spark-staging", volumes,
        configName -> configName.equals(config.getMetadata().getName()) ? config : null, secretName -> null);
    int port = server.getPorts().get(0).getContainerPort();
    Podman.run("rm", "--force", name);
    Podman.ok(kubelet.runArguments(server, List.of("run", "--detach", "--name", name, "--publish", "127.0.0.1::" + port))
        .toArray(String[]::new));
    var container = new ServerContainer(name, deployment);
    container.baseUri = "http://" + Podman.ok("port", name, String.valueOf(port));
    return container;
  }

  private static <T> T only(List<HasMetadata> objects, Class<T> kind) {
    return objects.stream().filter(kind::isInstance).map(kind::cast).findFirst().orElseThrow();
  }

  Deployment deployment() {
    return deployment;
  }

  String baseUri() {
    return baseUri;
  }

  String name() {
    return name;
  }

  /** Waits for the readiness probe's path to answer 200, as the kubelet would before routing to the pod. */
  ServerContainer awaitReady() {
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> status("/readyz") == 200);
    return this;
  }

  int status(String path) {
    try {
      var connection = (HttpURLConnection) URI.create(baseUri + path).toURL().openConnection();
      connection.setConnectTimeout(1000);
      connection.setReadTimeout(5000);
      return connection.getResponseCode();
    } catch (IOException notYet) {
      return -1;
    }
  }

  /** SIGTERM, as the kubelet stops a container, with the pod's grace period before SIGKILL. */
  Duration stop() throws IOException, InterruptedException {
    long grace = deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
    long started = System.nanoTime();
    Podman.ok("stop", "--time", String.valueOf(grace), name);
    return Duration.ofNanos(System.nanoTime() - started);
  }

  /** Starts the stopped container again, with its volumes: a pod's container restarted in place. */
  ServerContainer restart() throws IOException, InterruptedException {
    Podman.ok("start", name);
    int port = deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts().get(0).getContainerPort();
    baseUri = "http://" + Podman.ok("port", name, String.valueOf(port));
    return this;
  }

  int exitCode() throws IOException, InterruptedException {
    return Integer.parseInt(Podman.ok("inspect", "--format", "{{.State.ExitCode}}", name));
  }

  String logs() throws IOException, InterruptedException {
    return Podman.run("logs", name).both();
  }

  @Override
  public void close() throws IOException {
    try {
      Podman.run("rm", "--force", "--time", "0", name);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
