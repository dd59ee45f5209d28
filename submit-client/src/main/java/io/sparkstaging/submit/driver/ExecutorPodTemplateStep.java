package io.sparkstaging.submit.driver;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.sparkstaging.common.config.ConfigException;
import io.sparkstaging.submit.pod.InitContainerBootstrap;
import io.sparkstaging.submit.pod.InitContainerSpec;
import io.sparkstaging.submit.pod.PodSecurity;
import io.sparkstaging.submit.pod.PodTemplate;
import java.util.Map;
import java.util.Optional;

/**
 * The executor pod template: the user's own ({@code spark.kubernetes.executor.podTemplateFile}),
 * if any, with the same init-container, Secret and volumes as the driver, so that the executor
 * pods Spark's scheduler backend creates fetch the same dependencies, and the same pod security.
 * Shipped in a ConfigMap mounted into the driver, where Spark reads it at start.
 */
public record ExecutorPodTemplateStep(AppIdentity identity, String namespace, Optional<InitContainerSpec> initContainer, PodPolicy policy,
    Optional<PodTemplate> userTemplate) implements DriverStep {
  public static final String CONTAINER = "spark-kubernetes-executor";
  static final String DIR = "/opt/spark/pod-template";
  static final String FILE = "pod-spec-template.yml";
  static final String KEY = "podspec-configmap-key";
  static final String VOLUME = "pod-template-volume";

  @Override
  public DriverSpec apply(DriverSpec spec) {
    if (initContainer.isEmpty() && !policy.restricted() && userTemplate.isEmpty()) {
      return spec;
    }
    PodTemplate executor = template(initContainer, policy, userTemplate);
    Pod template = executor.pod();
    String container = executor.sparkContainer();
    String name = identity.resourcePrefix() + "-driver-podspec-conf-map";
    var configMap = new ConfigMapBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
        .withImmutable(true)
        .addToData(KEY, new KubernetesSerialization().asYaml(template))
        .build();
    var pod = new PodBuilder(spec.pod())
        .editSpec()
        .addNewVolume().withName(VOLUME).withNewConfigMap().withName(name)
        .addNewItem().withKey(KEY).withPath(FILE).endItem().endConfigMap().endVolume()
        .editMatchingContainer(c -> c.getName().equals(spec.sparkContainer()))
        .addNewVolumeMount().withName(VOLUME).withMountPath(DIR).endVolumeMount()
        .endContainer()
        .endSpec()
        .build();
    return spec.withPod(pod).withResource(configMap).withProperties(Map.of(
        "spark.kubernetes.executor.podTemplateFile", DIR + "/" + FILE,
        "spark.kubernetes.executor.podTemplateContainerName", container));
  }

  /** The executor template: the user's, or one with Spark's default container, decorated with the init-container and the policy. */
  public static PodTemplate template(Optional<InitContainerSpec> initContainer, PodPolicy policy, Optional<PodTemplate> userTemplate) {
    PodTemplate executor = userTemplate.orElse(PodTemplate.empty(CONTAINER, "the executor pod template"));
    Pod template = executor.pod();
    String container = executor.sparkContainer();
    if (initContainer.isPresent()) {
      try {
        template = InitContainerBootstrap.decorate(template, container, initContainer.get());
      } catch (IllegalArgumentException clash) {
        throw new ConfigException(executor.source() + ": " + clash.getMessage() + ", which the init-container needs");
      }
    }
    if (policy.restricted()) {
      template = new PodBuilder(template).withSpec(PodSecurity.restricted(template.getSpec(), container)).build();
    }
    return executor.withPod(template);
  }
}
