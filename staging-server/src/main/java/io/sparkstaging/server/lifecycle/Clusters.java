package io.sparkstaging.server.lifecycle;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.sparkstaging.server.config.ServerConfig;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the cluster to watch the standard fabric8 way: an explicit master, else the in-cluster
 * service account, else {@code KUBECONFIG} or {@code ~/.kube/config}. With none of them (a laptop,
 * the local default) there is no cluster, and only expiry applies.
 */
public final class Clusters {
  private Clusters() {}

  public static Optional<KubernetesClient> find(ServerConfig config, Map<String, String> environment) {
    if (config.kubernetes() == ServerConfig.KubernetesMode.off) {
      return Optional.empty();
    }
    if (config.kubernetesMaster().isEmpty() && !configured(environment)) {
      return Optional.empty();
    }
    var builder = new ConfigBuilder(Config.autoConfigure(null));
    config.kubernetesMaster().ifPresent(builder::withMasterUrl);
    return Optional.of(new KubernetesClientBuilder().withConfig(builder.build()).build());
  }

  private static boolean configured(Map<String, String> environment) {
    if (environment.containsKey("KUBERNETES_SERVICE_HOST")) {
      return true;
    }
    String kubeconfig = environment.get("KUBECONFIG");
    if (kubeconfig != null) {
      return Arrays.stream(kubeconfig.split(File.pathSeparator)).anyMatch(path -> !path.isBlank() && Files.isRegularFile(Path.of(path)));
    }
    return Files.isRegularFile(Path.of(System.getProperty("user.home"), ".kube", "config"));
  }
}
