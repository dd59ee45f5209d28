package io.sparkstaging.submit.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * Adds the staging init-container to a pod: the init-container itself (with resource requests and
 * limits, and a security context the {@code restricted} Pod Security Standard accepts), the two
 * emptyDir volumes it fills, its properties and secret volumes, and the emptyDir mounts in the
 * Spark container, at the same paths, so that {@code local://} URIs resolve there.
 *
 * <p>Works on any fabric8 {@link Pod} or {@link PodTemplateSpec} (a driver, an executor pod
 * template, a pod another tool builds); the input is not modified. Existing init-containers,
 * containers and volumes are kept.
 */
public final class InitContainerBootstrap {
  private InitContainerBootstrap() {}

  public static Pod decorate(Pod pod, String sparkContainer, InitContainerSpec spec) {
    return new PodBuilder(pod).withSpec(decorate(pod.getSpec(), sparkContainer, spec)).build();
  }

  public static PodTemplateSpec decorate(PodTemplateSpec template, String sparkContainer, InitContainerSpec spec) {
    return new PodTemplateSpecBuilder(template).withSpec(decorate(template.getSpec(), sparkContainer, spec)).build();
  }

  /**
   * @throws IllegalArgumentException if the pod has no container named {@code sparkContainer}, or
   *     already has the init-container or one of its volumes
   */
  public static PodSpec decorate(PodSpec podSpec, String sparkContainer, InitContainerSpec spec) {
    if (podSpec == null || podSpec.getContainers().stream().noneMatch(c -> c.getName().equals(sparkContainer))) {
      throw new IllegalArgumentException("the pod has no container named '" + sparkContainer + "'");
    }
    if (podSpec.getInitContainers().stream().anyMatch(c -> c.getName().equals(InitContainerSpec.CONTAINER_NAME))) {
      throw new IllegalArgumentException("the pod already has an init-container named '" + InitContainerSpec.CONTAINER_NAME + "'");
    }
    List<Volume> volumes = volumes(spec);
    for (Volume volume : volumes) {
      if (podSpec.getVolumes().stream().anyMatch(existing -> existing.getName().equals(volume.getName()))) {
        throw new IllegalArgumentException("the pod already has a volume named '" + volume.getName() + "'");
      }
    }
    var builder = new PodSpecBuilder(podSpec).addToVolumes(volumes.toArray(Volume[]::new)).addToInitContainers(initContainer(spec));
    var containers = new ArrayList<Container>();
    for (Container container : podSpec.getContainers()) {
      containers.add(container.getName().equals(sparkContainer)
          ? new ContainerBuilder(container).addToVolumeMounts(dependencyMounts().toArray(VolumeMount[]::new)).build()
          : container);
    }
    return builder.withContainers(containers).build();
  }

  private static List<Volume> volumes(InitContainerSpec spec) {
    var volumes = new ArrayList<Volume>();
    volumes.add(new VolumeBuilder().withName(InitContainerSpec.JARS_VOLUME).withNewEmptyDir().endEmptyDir().build());
    volumes.add(new VolumeBuilder().withName(InitContainerSpec.FILES_VOLUME).withNewEmptyDir().endEmptyDir().build());
    volumes.add(new VolumeBuilder().withName(InitContainerSpec.PROPERTIES_VOLUME)
        .withNewConfigMap().withName(spec.propertiesConfigMap())
        .addNewItem().withKey(InitContainerSpec.PROPERTIES_KEY).withPath(InitContainerSpec.PROPERTIES_FILE_NAME).endItem()
        .endConfigMap().build());
    spec.secretName().ifPresent(secret -> volumes.add(new VolumeBuilder().withName(InitContainerSpec.SECRET_VOLUME)
        .withNewSecret().withSecretName(secret).endSecret().build()));
    return volumes;
  }

  private static List<VolumeMount> dependencyMounts() {
    return List.of(
        new VolumeMountBuilder().withName(InitContainerSpec.JARS_VOLUME).withMountPath(InitContainerSpec.JARS_DIR).build(),
        new VolumeMountBuilder().withName(InitContainerSpec.FILES_VOLUME).withMountPath(InitContainerSpec.FILES_DIR).build());
  }

  private static Container initContainer(InitContainerSpec spec) {
    var mounts = new ArrayList<>(dependencyMounts());
    mounts.add(new VolumeMountBuilder().withName(InitContainerSpec.PROPERTIES_VOLUME).withMountPath(InitContainerSpec.PROPERTIES_DIR)
        .withReadOnly(true).build());
    spec.secretName().ifPresent(secret -> mounts.add(new VolumeMountBuilder().withName(InitContainerSpec.SECRET_VOLUME)
        .withMountPath(InitContainerSpec.SECRET_DIR).withReadOnly(true).build()));
    return new ContainerBuilder()
        .withName(InitContainerSpec.CONTAINER_NAME)
        .withImage(spec.image())
        .withImagePullPolicy(spec.imagePullPolicy())
        .withArgs(InitContainerSpec.PROPERTIES_DIR + "/" + InitContainerSpec.PROPERTIES_FILE_NAME)
        .withVolumeMounts(mounts)
        .withResources(spec.resources())
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withNewCapabilities().addToDrop("ALL").endCapabilities()
        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
        .endSecurityContext()
        .build();
  }
}
