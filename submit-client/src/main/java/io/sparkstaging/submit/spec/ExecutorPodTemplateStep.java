package io.sparkstaging.submit.spec;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.sparkstaging.submit.podspec.InitContainerBootstrap;
import io.sparkstaging.submit.podspec.InitContainerSpec;
import io.sparkstaging.submit.podspec.PodSecurity;
import java.util.Map;
import java.util.Optional;

/**
 * The executor pod template: the same init-container, Secret and volumes as the driver, so that
 * the executor pods Spark's scheduler backend creates fetch the same dependencies, and the same
 * pod security. Shipped in a ConfigMap mounted into the driver, where Spark reads it at start.
 */
public record ExecutorPodTemplateStep(AppIdentity identity, String namespace, Optional<InitContainerSpec> initContainer, PodPolicy policy)
    implements DriverStep {
  public static final String CONTAINER = "spark-kubernetes-executor";
  static final String DIR = "/opt/spark/pod-template";
  static final String FILE = "pod-spec-template.yml";
  static final String KEY = "podspec-configmap-key";
  static final String VOLUME = "pod-template-volume";

  @Override
  public DriverSpec apply(DriverSpec spec) {
    if (initContainer.isEmpty() && !policy.restricted()) {
      return spec;
    }
    Pod template = new PodBuilder().withNewSpec().addNewContainer().withName(CONTAINER).endContainer().endSpec().build();
    if (initContainer.isPresent()) {
      template = InitContainerBootstrap.decorate(template, CONTAINER, initContainer.get());
    }
    if (policy.restricted()) {
      template = new PodBuilder(template).withSpec(PodSecurity.restricted(template.getSpec(), CONTAINER)).build();
    }
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
          .editMatchingContainer(container -> container.getName().equals(BasicDriverStep.CONTAINER))
            .addNewVolumeMount().withName(VOLUME).withMountPath(DIR).endVolumeMount()
          .endContainer()
        .endSpec()
        .build();
    return spec.withPod(pod).withResource(configMap).withProperties(Map.of(
        "spark.kubernetes.executor.podTemplateFile", DIR + "/" + FILE,
        "spark.kubernetes.executor.podTemplateContainerName", CONTAINER));
  }
}
