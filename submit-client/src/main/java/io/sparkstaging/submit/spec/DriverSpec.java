package io.sparkstaging.submit.spec;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything one submission creates, built up by {@link DriverStep}s: the driver pod, the Spark
 * properties it will run with, and the other objects (created after the pod, owned by it).
 */
public record DriverSpec(Pod pod, Map<String, String> sparkProperties, List<HasMetadata> resources) {
  public DriverSpec {
    sparkProperties = Map.copyOf(sparkProperties);
    resources = List.copyOf(resources);
  }

  public DriverSpec withPod(Pod newPod) {
    return new DriverSpec(newPod, sparkProperties, resources);
  }

  public DriverSpec withProperties(Map<String, String> added) {
    var merged = new TreeMap<>(sparkProperties);
    merged.putAll(added);
    return new DriverSpec(pod, merged, resources);
  }

  public DriverSpec withResource(HasMetadata resource) {
    var all = new ArrayList<>(resources);
    all.add(resource);
    return new DriverSpec(pod, sparkProperties, all);
  }
}
