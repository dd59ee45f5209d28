package io.sparkstaging.submit.cli;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.sparkstaging.common.config.ConfigException;
import io.sparkstaging.submit.watch.PodStateText;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * spark-submit's {@code --status} and {@code --kill} for Kubernetes: a submission id is
 * {@code namespace:driver-pod}, the namespace optional and the pod name a glob.
 */
final class SubmissionIds {
  private final Config config;
  private final String defaultNamespace;
  private final PrintWriter out;
  private final PrintWriter err;

  SubmissionIds(Config config, String defaultNamespace, PrintWriter out, PrintWriter err) {
    this.config = config;
    this.defaultNamespace = defaultNamespace;
    this.out = out;
    this.err = err;
  }

  /** @return 0, or {@link AppCommands#NOT_FOUND} when no driver pod matches */
  int act(String status, String kill, Map<String, String> properties) {
    if (status != null && kill != null) {
      throw new ConfigException("give --status or --kill, not both");
    }
    String id = status != null ? status : kill;
    int colon = id.indexOf(':');
    String namespace = colon >= 0 ? id.substring(0, colon) : defaultNamespace;
    Pattern pod = glob(colon >= 0 ? id.substring(colon + 1) : id);
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      List<Pod> drivers = client.pods().inNamespace(namespace).withLabel("spark-role", "driver").list().getItems().stream()
          .filter(p -> pod.matcher(p.getMetadata().getName()).matches()).toList();
      if (drivers.isEmpty()) {
        err.println("submit-client: no driver pod matches " + id + " in namespace " + namespace);
        return AppCommands.NOT_FOUND;
      }
      for (Pod driver : drivers) {
        if (status != null) {
          out.println("Application status (driver): " + PodStateText.of(driver));
        } else {
          var resource = client.pods().inNamespace(namespace).withName(driver.getMetadata().getName());
          String grace = properties.get("spark.kubernetes.appKillPodDeletionGracePeriod");
          (grace == null ? resource : resource.withGracePeriod(Long.parseLong(grace))).delete();
          out.println("Deleting driver pod: " + namespace + ":" + driver.getMetadata().getName());
        }
      }
      out.flush();
      return 0;
    }
  }

  /** {@code *} and {@code ?} as in a shell; everything else literal. */
  static Pattern glob(String text) {
    var regex = new StringBuilder();
    for (char c : text.toCharArray()) {
      regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
    }
    return Pattern.compile(regex.toString());
  }
}
