package io.sparkstaging.submit.cli;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.sparkstaging.submit.driver.BasicDriverStep;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code status}, {@code logs} and {@code kill}: find an application's driver by app id or name, and act on it. */
final class AppCommands {
  /** No driver pod matches the app id or name in the namespace. */
  static final int NOT_FOUND = 6;

  private AppCommands() {}

  /** What the three commands share: where the cluster is, and which application. */
  abstract static class AppCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--master", description = "k8s://https://HOST:PORT of the API server. Default: the kubeconfig's.")
    String master;

    @Option(names = "--namespace", description = "Namespace of the application. Default: the kubeconfig context's.")
    String namespace;

    @Parameters(index = "0", paramLabel = "APP", description = "Application id (spark-...) or name.")
    String app;

    @Override
    public Integer call() throws Exception {
      Config config = ClusterOptions.config(master, Map.of());
      String ns = ClusterOptions.namespace(config, namespace);
      try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
        Optional<Pod> driver = driver(client, ns);
        if (driver.isEmpty()) {
          spec.commandLine().getErr().println("submit-client: no application '" + app + "' in namespace " + ns);
          return NOT_FOUND;
        }
        return act(client, driver.get(), spec.commandLine().getOut());
      }
    }

    /** The newest driver pod whose app id or app-name label is {@code app}. */
    private Optional<Pod> driver(KubernetesClient client, String ns) {
      String key = app.startsWith("spark-") && app.length() == 38 ? "spark-app-selector" : "spark-app-name";
      List<Pod> pods = client.pods().inNamespace(ns).withLabel("spark-role", "driver").withLabel(key, app).list().getItems();
      return pods.stream().max(
          Comparator.comparing(pod -> pod.getMetadata().getCreationTimestamp() == null ? "" : pod.getMetadata().getCreationTimestamp()));
    }

    abstract int act(KubernetesClient client, Pod driver, PrintWriter out) throws Exception;

    /** The container that runs Spark's driver: its first argument is {@code driver}, whatever a template named it. */
    static String sparkContainer(Pod driver) {
      return driver.getSpec().getContainers().stream().filter(c -> !c.getArgs().isEmpty() && c.getArgs().get(0).equals("driver"))
          .map(c -> c.getName()).findFirst().orElse(BasicDriverStep.CONTAINER);
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true, description = "Shows the driver pod's phase and the Spark container's state.")
  static final class Status extends AppCommand {
    @Override
    int act(KubernetesClient client, Pod driver, PrintWriter out) {
      var status = driver.getStatus();
      out.printf("application: %s%ndriver pod:  %s/%s%nphase:       %s%n", driver.getMetadata().getLabels().get("spark-app-selector"),
          driver.getMetadata().getNamespace(), driver.getMetadata().getName(), status == null ? "Unknown" : status.getPhase());
      if (status != null && status.getContainerStatuses() != null) {
        status.getContainerStatuses().stream().filter(c -> c.getName().equals(sparkContainer(driver))).findFirst()
            .ifPresent(container -> out.printf("container:   %s%n", describe(container.getState())));
      }
      out.flush();
      return 0;
    }

    private static String describe(ContainerState state) {
      if (state == null) {
        return "unknown";
      }
      if (state.getTerminated() != null) {
        return "terminated, exit code " + state.getTerminated().getExitCode();
      }
      if (state.getWaiting() != null) {
        return "waiting (" + state.getWaiting().getReason() + ")";
      }
      return state.getRunning() != null ? "running" : "unknown";
    }
  }

  @Command(name = "logs", mixinStandardHelpOptions = true, description = "Prints the driver's log.")
  static final class Logs extends AppCommand {
    @Option(names = {"-f", "--follow"}, description = "Keep printing as the log grows, until the driver ends.")
    boolean follow;

    @Override
    int act(KubernetesClient client, Pod driver, PrintWriter out) throws Exception {
      var container = client.pods().inNamespace(driver.getMetadata().getNamespace()).withName(driver.getMetadata().getName())
          .inContainer(sparkContainer(driver));
      if (!follow) {
        out.print(container.getLog());
        out.flush();
        return 0;
      }
      try (LogWatch watch = container.watchLog(); var log = new InputStreamReader(watch.getOutput(), StandardCharsets.UTF_8)) {
        char[] buffer = new char[8192];
        for (int read = log.read(buffer); read >= 0; read = log.read(buffer)) {
          out.write(buffer, 0, read);
          // A person is watching: show each piece as it comes.
          out.flush();
        }
      }
      return 0;
    }
  }

  @Command(name = "kill", mixinStandardHelpOptions = true,
      description = "Deletes the driver pod; Kubernetes then deletes its executors and objects, and the server its bundles.")
  static final class Kill extends AppCommand {
    @Override
    int act(KubernetesClient client, Pod driver, PrintWriter out) {
      client.resource(driver).delete();
      out.printf("deleted driver pod %s/%s%n", driver.getMetadata().getNamespace(), driver.getMetadata().getName());
      out.flush();
      return 0;
    }
  }
}
