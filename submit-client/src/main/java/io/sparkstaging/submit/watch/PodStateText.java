package io.sparkstaging.submit.watch;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A pod's state in the shape spark-submit logs it ("\t pod name: …", "\t\t exit code: …"), which
 * wrappers such as Airflow's SparkSubmitHook parse for the driver pod's name and exit code.
 */
public final class PodStateText {
  private PodStateText() {}

  public static String of(Pod pod) {
    var status = pod.getStatus();
    var spec = pod.getSpec();
    List<String[]> pairs = new ArrayList<>();
    pairs.add(pair("pod name", pod.getMetadata().getName()));
    pairs.add(pair("namespace", pod.getMetadata().getNamespace()));
    pairs.add(pair("labels", pod.getMetadata().getLabels() == null ? null
        : pod.getMetadata().getLabels().entrySet().stream().map(e -> e.getKey() + " -> " + e.getValue())
            .collect(Collectors.joining(", "))));
    pairs.add(pair("pod uid", pod.getMetadata().getUid()));
    pairs.add(pair("creation time", pod.getMetadata().getCreationTimestamp()));
    pairs.add(pair("service account name", spec == null ? null : spec.getServiceAccountName()));
    pairs.add(pair("volumes", spec == null ? null : spec.getVolumes().stream().map(Volume::getName).collect(Collectors.joining(", "))));
    pairs.add(pair("node name", spec == null ? null : spec.getNodeName()));
    pairs.add(pair("start time", status == null ? null : status.getStartTime()));
    pairs.add(pair("phase", status == null ? null : status.getPhase()));
    pairs.add(pair("container status", containers(pod, 2)));
    return bundle(pairs, 1);
  }

  /** Each container's name, image and state, as spark-submit's final statuses show them. */
  public static String containers(Pod pod, int indent) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return "";
    }
    return pod.getStatus().getContainerStatuses().stream().map(status -> {
      var pairs = new ArrayList<String[]>();
      pairs.add(pair("container name", status.getName()));
      pairs.add(pair("container image", status.getImage()));
      pairs.addAll(state(status));
      return bundle(pairs, indent);
    }).collect(Collectors.joining("\n\n"));
  }

  private static List<String[]> state(ContainerStatus status) {
    ContainerState state = status.getState();
    var pairs = new ArrayList<String[]>();
    if (state != null && state.getRunning() != null) {
      pairs.add(pair("container state", "running"));
      pairs.add(pair("container started at", state.getRunning().getStartedAt()));
    } else if (state != null && state.getTerminated() != null) {
      var terminated = state.getTerminated();
      pairs.add(pair("container state", "terminated"));
      pairs.add(pair("container started at", terminated.getStartedAt()));
      pairs.add(pair("container finished at", terminated.getFinishedAt()));
      pairs.add(pair("exit code", String.valueOf(terminated.getExitCode())));
      pairs.add(pair("termination reason", terminated.getReason()));
    } else if (state != null && state.getWaiting() != null) {
      pairs.add(pair("container state", "waiting"));
      pairs.add(pair("pending reason", state.getWaiting().getReason()));
    } else {
      pairs.add(pair("container state", "N/A"));
    }
    return pairs;
  }

  private static String[] pair(String key, String value) {
    return new String[] {key, value == null || value.isEmpty() ? "N/A" : value};
  }

  private static String bundle(List<String[]> pairs, int indent) {
    String tabs = "\t".repeat(indent);
    return pairs.stream().map(p -> "\n" + tabs + " " + p[0] + ": " + p[1]).collect(Collectors.joining());
  }
}
