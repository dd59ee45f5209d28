package io.sparkstaging.submit.driver;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Labels every object with the application's id and the driver role, so that {@code kubectl get all -l spark-app-selector=...} finds them all. */
public record AppLabelsStep(AppIdentity identity) implements DriverStep {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  @Override
  public DriverSpec apply(DriverSpec spec) {
    DriverSpec labelled = new DriverSpec(spec.pod(), spec.sparkContainer(), spec.sparkProperties(), List.of());
    for (HasMetadata resource : spec.resources()) {
      HasMetadata copy = SERIALIZATION.clone(resource);
      var labels = new HashMap<>(copy.getMetadata().getLabels() == null ? Map.<String, String>of() : copy.getMetadata().getLabels());
      labels.put("spark-app-selector", identity.appId());
      labels.put("spark-role", "driver");
      copy.getMetadata().setLabels(labels);
      labelled = labelled.withResource(copy);
    }
    return labelled;
  }
}
