package io.sparkstaging.submit.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InitContainerBootstrapTest {
  private static final InitContainerSpec SPEC =
      new InitContainerSpec("registry.example.com/spark-staging-init:0.1.0", "IfNotPresent", "app-init-config",
          Optional.of("app-init-secret"));

  private static Pod driver() {
    return new PodBuilder().withNewMetadata().withName("app-driver").endMetadata()
        .withNewSpec()
        .addNewInitContainer().withName("user-init").withImage("busybox").endInitContainer()
        .addNewContainer().withName("spark-kubernetes-driver").withImage("apache/spark:3.5.6").endContainer()
        .addNewContainer().withName("sidecar").withImage("envoy").endContainer()
        .addNewVolume().withName("spark-local-dir-1").withNewEmptyDir().endEmptyDir().endVolume()
        .endSpec().build();
  }

  @Test
  void addsTheInitContainerWithItsVolumesAndMounts() {
    Pod pod = InitContainerBootstrap.decorate(driver(), "spark-kubernetes-driver", SPEC);

    Container init = pod.getSpec().getInitContainers().get(1);
    assertThat(init.getName()).isEqualTo("spark-init");
    assertThat(init.getImage()).isEqualTo(SPEC.image());
    assertThat(init.getArgs()).containsExactly("/etc/spark-init/spark-init.properties");
    assertThat(init.getVolumeMounts()).extracting(VolumeMount::getName, VolumeMount::getMountPath).containsExactly(
        org.assertj.core.groups.Tuple.tuple("download-jars-volume", "/var/spark-data/spark-jars"),
        org.assertj.core.groups.Tuple.tuple("download-files", "/var/spark-data/spark-files"),
        org.assertj.core.groups.Tuple.tuple("spark-init-properties", "/etc/spark-init"),
        org.assertj.core.groups.Tuple.tuple("spark-init-secret", "/mnt/secrets/spark-init"));
    assertThat(init.getSecurityContext().getRunAsNonRoot()).isTrue();

    assertThat(pod.getSpec().getVolumes()).extracting(Volume::getName)
        .containsExactly("spark-local-dir-1", "download-jars-volume", "download-files", "spark-init-properties", "spark-init-secret");
    Volume properties = pod.getSpec().getVolumes().get(3);
    assertThat(properties.getConfigMap().getName()).isEqualTo("app-init-config");
    assertThat(properties.getConfigMap().getItems().get(0).getKey()).isEqualTo("download-submitted-files");
    assertThat(pod.getSpec().getVolumes().get(4).getSecret().getSecretName()).isEqualTo("app-init-secret");
  }

  @Test
  void mountsTheDependenciesOnlyInTheSparkContainerAndKeepsEverythingElse() {
    Pod pod = InitContainerBootstrap.decorate(driver(), "spark-kubernetes-driver", SPEC);

    assertThat(pod.getSpec().getInitContainers().get(0).getName()).isEqualTo("user-init");
    assertThat(pod.getSpec().getContainers()).extracting(Container::getName).containsExactly("spark-kubernetes-driver", "sidecar");
    assertThat(pod.getSpec().getContainers().get(0).getVolumeMounts()).extracting(VolumeMount::getMountPath)
        .containsExactly("/var/spark-data/spark-jars", "/var/spark-data/spark-files");
    assertThat(pod.getSpec().getContainers().get(1).getVolumeMounts()).isEmpty();
    assertThat(pod.getMetadata().getName()).isEqualTo("app-driver");
  }

  @Test
  void leavesItsInputUntouched() {
    Pod original = driver();

    InitContainerBootstrap.decorate(original, "spark-kubernetes-driver", SPEC);

    assertThat(original).isEqualTo(driver());
  }

  @Test
  void withoutStagedBundlesThereIsNoSecretVolume() {
    var noSecret = new InitContainerSpec("img", "Always", "cfg", Optional.empty());

    Pod pod = InitContainerBootstrap.decorate(driver(), "spark-kubernetes-driver", noSecret);

    assertThat(pod.getSpec().getVolumes()).extracting(Volume::getName).doesNotContain("spark-init-secret");
    assertThat(pod.getSpec().getInitContainers().get(1).getVolumeMounts()).extracting(VolumeMount::getName)
        .doesNotContain("spark-init-secret");
  }

  @Test
  void decoratesAnExecutorPodTemplate() {
    PodTemplateSpec template = new PodTemplateSpecBuilder().withNewSpec()
        .addNewContainer().withName("spark-kubernetes-executor").endContainer().endSpec().build();

    PodTemplateSpec decorated = InitContainerBootstrap.decorate(template, "spark-kubernetes-executor", SPEC);

    assertThat(decorated.getSpec().getInitContainers()).extracting(Container::getName).containsExactly("spark-init");
  }

  @Test
  void refusesAPodWithoutTheSparkContainerOrAlreadyDecorated() {
    assertThatThrownBy(() -> InitContainerBootstrap.decorate(driver(), "no-such", SPEC))
        .hasMessageContaining("no container named 'no-such'");
    Pod once = InitContainerBootstrap.decorate(driver(), "spark-kubernetes-driver", SPEC);
    assertThatThrownBy(() -> InitContainerBootstrap.decorate(once, "spark-kubernetes-driver", SPEC)).hasMessageContaining("already has");
  }
}
