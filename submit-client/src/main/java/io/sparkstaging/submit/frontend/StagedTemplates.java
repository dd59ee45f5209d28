package io.sparkstaging.submit.frontend;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.sparkstaging.submit.deps.DependencyPlan;
import io.sparkstaging.submit.driver.AppIdentity;
import io.sparkstaging.submit.driver.BasicDriverStep;
import io.sparkstaging.submit.driver.DriverSpec;
import io.sparkstaging.submit.driver.ExecutorPodTemplateStep;
import io.sparkstaging.submit.driver.PodPolicy;
import io.sparkstaging.submit.driver.StagedDependencies;
import io.sparkstaging.submit.driver.StagedDependenciesStep;
import io.sparkstaging.submit.driver.SubmitRequest;
import io.sparkstaging.submit.pod.InitContainerSpec;
import io.sparkstaging.submit.pod.PodTemplate;
import io.sparkstaging.submit.stage.BundlePackager;
import io.sparkstaging.submit.stage.StageFailure;
import io.sparkstaging.submit.stage.StagedBundle;
import io.sparkstaging.submit.stage.StagingClient;
import io.sparkstaging.submit.stage.StagingTrust;
import io.sparkstaging.submit.stage.UploadProgress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a front end hands to someone else's Spark client (spark-submit, an operator): the staged
 * bundles, the init-container's Secret and ConfigMap, and driver and executor pod templates carrying
 * the init-container, each the user's own template when there is one. Security settings stay the
 * user's and Spark's: only the init-container is ours.
 *
 * @param resources the Secret and ConfigMap the templates' volumes name, not yet created
 */
public record StagedTemplates(PodTemplate driver, PodTemplate executor, List<HasMetadata> resources) {

  /**
   * Stages the plan's local dependencies with {@code owner} as their owner labels.
   *
   * @param bundles receives each bundle as soon as it is staged, so that a caller can remove them if a later step fails
   */
  public static StagedTemplates stage(SubmitRequest request, DependencyPlan plan, AppIdentity names, StagingClient staging,
      Map<String, String> owner, List<StagedBundle> bundles) throws StageFailure {
    var staged = new StagedDependencies(stage(request, staging, plan.jarsToStage(), plan.jarNames(), owner, bundles),
        stage(request, staging, plan.filesToStage(), plan.fileNames(), owner, bundles));
    var podTrust = StagingTrust.forPods(request.conf(), InitContainerSpec.SECRET_DIR);
    InitContainerSpec init = StagedDependenciesStep.initContainerSpec(request, names, staged, podTrust);
    PodTemplate driverTemplate =
        request.templates().driver().orElse(PodTemplate.empty(BasicDriverStep.CONTAINER, "the driver pod template"));
    DriverSpec decorated = new StagedDependenciesStep(request, names, plan, staged, podTrust, init)
        .apply(new DriverSpec(driverTemplate.pod(), driverTemplate.sparkContainer(), Map.of(), List.of()));
    PodTemplate executor = ExecutorPodTemplateStep.template(Optional.of(init), new PodPolicy(false, false), request.templates().executor());
    return new StagedTemplates(driverTemplate.withPod(decorated.pod()), executor, decorated.resources());
  }

  private static Optional<StagedBundle> stage(SubmitRequest request, StagingClient staging, List<Path> files, List<String> names,
      Map<String, String> owner, List<StagedBundle> bundles) throws StageFailure {
    if (files.isEmpty()) {
      return Optional.empty();
    }
    StagedBundle bundle = staging.stage(new BundlePackager(files, names, false), request.namespace(), owner, UploadProgress.NONE);
    bundles.add(bundle);
    return Optional.of(bundle);
  }
}
