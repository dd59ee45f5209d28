package io.sparkstaging.submit.driver;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.sparkstaging.submit.pod.PodSecurity;

/** The driver pod as the {@code restricted} Pod Security Standard wants it, unless the policy says otherwise. */
public record PodSecurityStep(PodPolicy policy) implements DriverStep {
  @Override
  public DriverSpec apply(DriverSpec spec) {
    if (!policy.restricted()) {
      return spec;
    }
    return spec.withPod(new PodBuilder(spec.pod()).withSpec(PodSecurity.restricted(spec.pod().getSpec(), spec.sparkContainer())).build());
  }
}
