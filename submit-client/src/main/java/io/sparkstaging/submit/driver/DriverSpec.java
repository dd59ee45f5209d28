package io.sparkstaging.submit.driver;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything one submission creates, built up by {@link DriverStep}s: the driver pod, the name of
 * its Spark container (the user's template may name it), the Spark properties it will run with,
 * and the other objects (created after the pod, owned by it).
 */
public record DriverSpec(Pod pod, String sparkContainer, Map<String, String> sparkProperties, List<HasMetadata> resources) {
  public DriverSpec {
    sparkProperties = Map.copyOf(sparkProperties);
    resources = List.copyOf(resources);
  }

  /** A spec whose Spark container has Spark's default name. */
  public DriverSpec(Pod pod, Map<String, String> sparkProperties, List<HasMetadata> resources) {
    this(pod, BasicDriverStep.CONTAINER, sparkProperties, resources);
  }

  public DriverSpec withPod(Pod newPod) {
    return new DriverSpec(newPod, sparkContainer, sparkProperties, resources);
  }

  public DriverSpec withProperties(Map<String, String> added) {
    var merged = new TreeMap<>(sparkProperties);
    merged.putAll(added);
    return new DriverSpec(pod, sparkContainer, merged, resources);
  }

  public DriverSpec withResource(HasMetadata resource) {
    var all = new ArrayList<>(resources);
    all.add(resource);
    return new DriverSpec(pod, sparkContainer, sparkProperties, all);
  }
}
