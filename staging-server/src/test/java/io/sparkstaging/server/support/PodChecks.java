package io.sparkstaging.server.support;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * What admission would say of a pod, checked by hand since neither the mock API server nor the
 * stand-in cluster admits: a ResourceQuota on requests and limits of CPU and memory with no
 * LimitRange, and the {@code restricted} Pod Security Standard (as of Kubernetes 1.30).
 */
public final class PodChecks {
  /** The first kind of source a volume has, as the Pod Security Standard names them. */
  private static final Map<String, Function<Volume, Object>> VOLUME_SOURCES = sources();
  private static final Set<String> RESTRICTED_VOLUME_TYPES =
      Set.of("configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret");

  private PodChecks() {}

  private static Stream<Container> allContainers(PodSpec pod) {
    return Stream.concat(pod.getInitContainers().stream(), pod.getContainers().stream());
  }

  /** Every container and init-container must state all four, or quota admission refuses the pod. */
  public static List<String> quotaViolations(PodSpec pod) {
    var violations = new ArrayList<String>();
    allContainers(pod).forEach(container -> {
      var resources = container.getResources();
      for (String kind : List.of("requests", "limits")) {
        var values = resources == null ? null : kind.equals("requests") ? resources.getRequests() : resources.getLimits();
        for (String resource : List.of("cpu", "memory")) {
          if (values == null || values.get(resource) == null) {
            violations.add(container.getName() + ": no " + kind + "." + resource);
          }
        }
      }
    });
    return violations;
  }

  public static List<String> restrictedViolations(PodSpec pod) {
    var violations = new ArrayList<String>();
    SecurityContext none = new SecurityContext();
    var podContext = pod.getSecurityContext();
    boolean podNonRoot = podContext != null && Boolean.TRUE.equals(podContext.getRunAsNonRoot());
    boolean podSeccomp = podContext != null && podContext.getSeccompProfile() != null
        && Set.of("RuntimeDefault", "Localhost").contains(podContext.getSeccompProfile().getType());
    if (podContext != null && Long.valueOf(0).equals(podContext.getRunAsUser())) {
      violations.add("pod: runAsUser 0");
    }
    if (Boolean.TRUE.equals(pod.getHostNetwork()) || Boolean.TRUE.equals(pod.getHostPID()) || Boolean.TRUE.equals(pod.getHostIPC())) {
      violations.add("pod: host namespaces");
    }
    for (Volume volume : pod.getVolumes()) {
      String type = volumeType(volume);
      if (!RESTRICTED_VOLUME_TYPES.contains(type)) {
        violations.add("volume " + volume.getName() + ": type " + type);
      }
    }
    allContainers(pod).forEach(container -> {
      SecurityContext context = container.getSecurityContext() == null ? none : container.getSecurityContext();
      String name = container.getName();
      if (!Boolean.FALSE.equals(context.getAllowPrivilegeEscalation())) {
        violations.add(name + ": allowPrivilegeEscalation is not false");
      }
      if (Boolean.TRUE.equals(context.getPrivileged())) {
        violations.add(name + ": privileged");
      }
      var capabilities = context.getCapabilities();
      if (capabilities == null || capabilities.getDrop() == null || !capabilities.getDrop().contains("ALL")) {
        violations.add(name + ": capabilities do not drop ALL");
      }
      if (capabilities != null && capabilities.getAdd() != null
          && capabilities.getAdd().stream().anyMatch(c -> !c.equals("NET_BIND_SERVICE"))) {
        violations.add(name + ": adds capabilities");
      }
      boolean nonRoot = context.getRunAsNonRoot() != null ? context.getRunAsNonRoot() : podNonRoot;
      if (!nonRoot) {
        violations.add(name + ": runAsNonRoot is not true");
      }
      if (Long.valueOf(0).equals(context.getRunAsUser())) {
        violations.add(name + ": runAsUser 0");
      }
      boolean seccomp = context.getSeccompProfile() != null
          ? Set.of("RuntimeDefault", "Localhost").contains(context.getSeccompProfile().getType()) : podSeccomp;
      if (!seccomp) {
        violations.add(name + ": no RuntimeDefault or Localhost seccomp profile");
      }
      if (container.getPorts() != null
          && container.getPorts().stream().anyMatch(port -> port.getHostPort() != null && port.getHostPort() != 0)) {
        violations.add(name + ": host port");
      }
    });
    return violations;
  }

  private static Map<String, Function<Volume, Object>> sources() {
    Map<String, Function<Volume, Object>> sources = new LinkedHashMap<>();
    sources.put("configMap", Volume::getConfigMap);
    sources.put("emptyDir", Volume::getEmptyDir);
    sources.put("secret", Volume::getSecret);
    sources.put("projected", Volume::getProjected);
    sources.put("persistentVolumeClaim", Volume::getPersistentVolumeClaim);
    sources.put("downwardAPI", Volume::getDownwardAPI);
    sources.put("csi", Volume::getCsi);
    sources.put("ephemeral", Volume::getEphemeral);
    sources.put("hostPath", Volume::getHostPath);
    sources.put("nfs", Volume::getNfs);
    return sources;
  }

  private static String volumeType(Volume volume) {
    return VOLUME_SOURCES.entrySet().stream().filter(source -> source.getValue().apply(volume) != null).map(Map.Entry::getKey)
        .findFirst().orElse("other");
  }
}
