package io.sparkstaging.submit.driver;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.sparkstaging.submit.deps.DependencyPlan;
import io.sparkstaging.submit.pod.InitContainerSpec;
import io.sparkstaging.submit.stage.StagingTrust;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Folds the driver steps, in order, over an empty spec: once every property is set, they become the ConfigMap, and every object gets the app's labels. */
public final class DriverSpecBuilder {
  private DriverSpecBuilder() {}

  /** @param podTrust what the init-container trusts for https to the staging server */
  public static DriverSpec build(SubmitRequest request, AppIdentity identity, DependencyPlan plan, StagedDependencies staged,
      StagingTrust.ForPods podTrust, String sparkUser) {
    Optional<InitContainerSpec> init = plan.needsInitContainer()
        ? Optional.of(StagedDependenciesStep.initContainerSpec(request, identity, staged, podTrust)) : Optional.empty();
    PodPolicy policy = PodPolicy.of(request.conf());
    List<DriverStep> steps = List.of(
        new BasicDriverStep(request, identity, sparkUser, plan.primaryInPod()),
        new LocalDirsStep(request),
        new DriverMountsStep(request, identity),
        new DriverServiceStep(identity, request),
        init.<DriverStep>map(spec -> new StagedDependenciesStep(request, identity, plan, staged, podTrust, spec)).orElse(same -> same),
        new PodSecurityStep(policy),
        new ExecutorPodTemplateStep(identity, request.namespace(), init, policy, request.templates().executor()),
        // The dependency properties as the pods see them.
        spec -> spec.withProperties(plan.podProperties()),
        new SparkPropertiesStep(identity, request.namespace(), request.confFiles()),
        new AppLabelsStep(identity));
    DriverSpec spec = request.templates().driver()
        .map(template -> new DriverSpec(template.pod(), template.sparkContainer(), Map.of(), List.of()))
        .orElse(new DriverSpec(new PodBuilder().build(), Map.of(), List.of()));
    for (DriverStep step : steps) {
      spec = step.apply(spec);
    }
    return spec;
  }
}
