package io.sparkstaging.submit.watch;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Follows a driver pod with a watch, printing each phase change, until it succeeds or fails, and
 * answers the Spark container's exit code, as spark-submit's {@code waitAppCompletion} does. Each
 * change is also logged on {@code err} in spark-submit's own shape ({@link PodStateText}).
 */
public final class PodPhaseWatcher {
  private final KubernetesClient client;
  private final PrintWriter out;
  private final PrintWriter err;

  public PodPhaseWatcher(KubernetesClient client, PrintWriter out, PrintWriter err) {
    this.client = client;
    this.out = out;
    this.err = err;
  }

  /**
   * @param reportInterval how often to log the phase while nothing changes, as spark-submit does
   *     ({@code spark.kubernetes.report.interval})
   * @return the exit code of {@code container}: 0 on success, the container's own code on failure
   */
  public int follow(String namespace, String name, String container, String appId, Duration reportInterval)
      throws InterruptedException, WatchFailure {
    var finished = new CompletableFuture<Pod>();
    var reporter = new PhaseReporter(name, container);
    var pods = client.pods().inNamespace(namespace).withName(name);
    try (Watch watch = pods.watch(new Watcher<Pod>() {
      @Override
      public void eventReceived(Action action, Pod pod) {
        if (action == Action.DELETED) {
          finished.completeExceptionally(new WatchFailure("the driver pod " + name + " was deleted before it finished"));
        } else if (reporter.seen(pod)) {
          finished.complete(pod);
        }
      }

      @Override
      public void onClose(WatcherException cause) {
        finished.completeExceptionally(new WatchFailure("lost the watch on the driver pod " + name + ": " + cause.getMessage()));
      }
    })) {
      // The pod may have changed, or even ended, before the watch began.
      Optional.ofNullable(pods.get()).filter(reporter::seen).ifPresent(finished::complete);
      Pod ended = null;
      while (ended == null) {
        try {
          ended = finished.get(reportInterval.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException stillRunning) {
          err.println("submit-client: Application status for " + appId + " (phase: " + reporter.lastPhase() + ")");
          err.flush();
        }
      }
      err.println("submit-client: Container final statuses:\n\n" + PodStateText.containers(ended, 1));
      err.flush();
      return exitCode(ended, container);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof WatchFailure failure ? failure : new WatchFailure(String.valueOf(e.getCause()));
    }
  }

  private final class PhaseReporter {
    private final String name;
    private final String container;
    private String lastPhase;

    PhaseReporter(String name, String container) {
      this.name = name;
      this.container = container;
    }

    synchronized String lastPhase() {
      return lastPhase == null ? "Pending" : lastPhase;
    }

    /** Prints a phase change; true once the pod has ended. */
    synchronized boolean seen(Pod pod) {
      String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
      if (phase != null && !Objects.equals(phase, lastPhase)) {
        lastPhase = phase;
        out.println("driver pod " + name + ": " + phase + detail(pod));
        out.flush();
        err.println("submit-client: State changed, new state: " + PodStateText.of(pod));
        err.flush();
      }
      return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    private String detail(Pod pod) {
      return sparkContainer(pod, container).map(status -> {
        if (status.getState() != null && status.getState().getWaiting() != null && status.getState().getWaiting().getReason() != null) {
          return " (" + status.getState().getWaiting().getReason() + ")";
        }
        if (status.getState() != null && status.getState().getTerminated() != null) {
          return " (exit code " + status.getState().getTerminated().getExitCode() + ")";
        }
        return "";
      }).orElse("");
    }
  }

  static int exitCode(Pod pod, String container) {
    return sparkContainer(pod, container)
        .filter(status -> status.getState() != null && status.getState().getTerminated() != null)
        .map(status -> status.getState().getTerminated().getExitCode())
        .orElse("Succeeded".equals(pod.getStatus().getPhase()) ? 0 : 1);
  }

  private static Optional<ContainerStatus> sparkContainer(Pod pod, String container) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getContainerStatuses().stream().filter(status -> container.equals(status.getName())).findFirst();
  }
}
