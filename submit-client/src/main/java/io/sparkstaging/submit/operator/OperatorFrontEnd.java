package io.sparkstaging.submit.operator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.sparkstaging.submit.apply.SubmitFailure;
import io.sparkstaging.submit.deps.DependencyPlan;
import io.sparkstaging.submit.driver.AppIdentity;
import io.sparkstaging.submit.driver.SubmitRequest;
import io.sparkstaging.submit.frontend.Cleanup;
import io.sparkstaging.submit.frontend.StagedTemplates;
import io.sparkstaging.submit.frontend.StockSparkSubmit;
import io.sparkstaging.submit.pod.PodTemplate;
import io.sparkstaging.submit.stage.StageFailure;
import io.sparkstaging.submit.stage.StagedBundle;
import io.sparkstaging.submit.stage.StagingClient;
import java.io.PrintWriter;
import java.net.HttpURLConnection;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The operators as front ends: stages the local dependencies a SparkApplication names, and gives
 * back the manifest rewritten (dependencies pointing where the init-container puts them, driver and
 * executor templates carrying it) with the init-container's Secret and ConfigMap, to print or to
 * create. Created here, the SparkApplication owns the Secret and ConfigMap; the staged bundles
 * belong to its driver pods, through a label on the driver template.
 */
public final class OperatorFrontEnd {
  private static final Set<String> DEPENDENCY_KEYS = Set.of("spark.jars", "spark.files", "spark.submit.pyFiles", "spark.archives");
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private final SparkAppManifest manifest;
  private final SubmitRequest request;
  private final DependencyPlan plan;
  private final PrintWriter err;

  public OperatorFrontEnd(SparkAppManifest manifest, SubmitRequest request, DependencyPlan plan, PrintWriter err) {
    this.manifest = manifest;
    this.request = request;
    this.plan = plan;
    this.err = err;
  }

  /** What staging made: the objects the manifest's pods need, in the order to create them, the manifest last. */
  public record Staged(List<HasMetadata> resources, SparkAppManifest manifest, List<StagedBundle> bundles) {
    /** One YAML stream, for {@code kubectl apply -f -}. */
    public String toYaml() {
      var yaml = new StringBuilder();
      resources.forEach(resource -> yaml.append(SERIALIZATION.asYaml(resource)));
      return yaml.append(manifest.toYaml()).toString();
    }
  }

  /** Stages and rewrites; if anything fails, what was staged is deleted before the failure is thrown. */
  public Staged stage(StagingClient staging) throws StageFailure {
    var names = AppIdentity.create(request.appName(), new SecureRandom(), Clock.systemUTC());
    String submission = names.uniqueId();
    var bundles = new ArrayList<StagedBundle>();
    try {
      StagedTemplates templates = StagedTemplates.stage(request, plan, names, staging,
          Map.of(StockSparkSubmit.SUBMISSION_LABEL, submission, "spark-role", "driver"), bundles);
      Pod driver = new PodBuilder(templates.driver().pod()).editOrNewMetadata().addToLabels(StockSparkSubmit.SUBMISSION_LABEL, submission)
          .endMetadata().build();
      manifest.setNamespace(request.namespace());
      manifest.rewrite(rewrite(templates.driver().withPod(driver), templates.executor()));
      templates.resources().forEach(resource -> resource.getMetadata().getLabels().put(StockSparkSubmit.SUBMISSION_LABEL, submission));
      return new Staged(templates.resources(), manifest, bundles);
    } catch (StageFailure | RuntimeException e) {
      bundles.forEach(bundle -> Cleanup.delete(staging, bundle, err));
      throw e;
    }
  }

  private Rewrite rewrite(PodTemplate driver, PodTemplate executor) {
    var dependencies = new LinkedHashMap<String, String>();
    var others = new LinkedHashMap<String, String>();
    plan.podProperties().forEach((key, value) -> (DEPENDENCY_KEYS.contains(key) ? dependencies : others).put(key, value));
    if (!request.conf().containsKey("spark.kubernetes.jars.avoidDownloadSchemes")) {
      others.put("spark.kubernetes.jars.avoidDownloadSchemes", "local");
    }
    return new Rewrite(request.kind(), plan.primaryInPod(), dependencies, others, DependencyPlan.REPLACED_KEYS, driver, executor);
  }

  /**
   * Creates the Secret and ConfigMap, then the SparkApplication, which then owns them. If the
   * SparkApplication cannot be created, nothing made for it is left behind.
   */
  public GenericKubernetesResource create(KubernetesClient client, StagingClient staging, Staged staged) throws SubmitFailure {
    String namespace = request.namespace();
    var created = new ArrayList<HasMetadata>();
    GenericKubernetesResource application;
    try {
      for (HasMetadata resource : staged.resources()) {
        created.add(client.resource(resource).inNamespace(namespace).create());
      }
      application = client.genericKubernetesResources(manifest.resourceContext()).inNamespace(namespace)
          .resource(SERIALIZATION.convertValue(staged.manifest().tree(), GenericKubernetesResource.class)).create();
    } catch (KubernetesClientException e) {
      created.forEach(resource -> Cleanup.delete(client, request.namespace(), resource, err));
      staged.bundles().forEach(bundle -> Cleanup.delete(staging, bundle, err));
      throw new SubmitFailure(refusal(e), e);
    }
    OwnerReference owner = new OwnerReferenceBuilder().withApiVersion(manifest.apiVersion()).withKind("SparkApplication")
        .withName(application.getMetadata().getName()).withUid(application.getMetadata().getUid()).build();
    for (HasMetadata resource : created) {
      try {
        client.resource(resource).inNamespace(namespace).edit(object -> {
          object.getMetadata().setOwnerReferences(List.of(owner));
          return object;
        });
      } catch (KubernetesClientException e) {
        err.println("submit-client: could not make SparkApplication " + owner.getName() + " the owner of " + resource.getKind() + " "
            + resource.getMetadata().getName() + " (delete it with the application): " + e.getMessage());
      }
    }
    return application;
  }

  private String refusal(KubernetesClientException e) {
    String message = e.getMessage();
    return e.getCode() == HttpURLConnection.HTTP_NOT_FOUND
        ? message + " (are the namespace and the CRD of " + manifest.apiVersion() + " SparkApplications there?)" : message;
  }
}
