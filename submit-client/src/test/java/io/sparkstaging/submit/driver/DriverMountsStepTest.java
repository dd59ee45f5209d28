package io.sparkstaging.submit.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.sparkstaging.common.config.ConfigException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The driver keys Spark's client applies, one by one, as Spark applies them. */
class DriverMountsStepTest {
  private final AppIdentity identity = AppIdentity.create("pi", new SecureRandom(), Clock.systemUTC());

  private DriverSpec driver(Map<String, String> conf) {
    var requests = new Requests();
    requests.conf = new HashMap<>(conf);
    SubmitRequest request = requests.build();
    DriverSpec spec = new BasicDriverStep(request, identity, "me", "app.jar")
        .apply(new DriverSpec(new PodBuilder().build(), Map.of(), List.of()));
    return new DriverMountsStep(request, identity).apply(spec);
  }

  private static Container sparkContainer(DriverSpec spec) {
    return spec.pod().getSpec().getContainers().get(0);
  }

  private static Volume volume(DriverSpec spec, String name) {
    return spec.pod().getSpec().getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst().orElseThrow();
  }

  private static VolumeMount mount(DriverSpec spec, String name) {
    return sparkContainer(spec).getVolumeMounts().stream().filter(m -> m.getName().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void volumesOfEachTypeAreMountedAsSparkMountsThem() {
    String v = "spark.kubernetes.driver.volumes.";
    DriverSpec spec = driver(Map.ofEntries(
        Map.entry(v + "hostPath.logs.mount.path", "/logs"), Map.entry(v + "hostPath.logs.options.path", "/var/log/spark"),
        Map.entry(v + "hostPath.logs.options.type", "DirectoryOrCreate"),
        Map.entry(v + "emptyDir.scratch.mount.path", "/scratch"), Map.entry(v + "emptyDir.scratch.options.medium", "Memory"),
        Map.entry(v + "emptyDir.scratch.options.sizeLimit", "1Gi"),
        Map.entry(v + "nfs.share.mount.path", "/share"), Map.entry(v + "nfs.share.mount.readOnly", "true"),
        Map.entry(v + "nfs.share.options.path", "/exports/data"), Map.entry(v + "nfs.share.options.server", "nfs.example.com"),
        Map.entry(v + "persistentVolumeClaim.data.mount.path", "/data"), Map.entry(v + "persistentVolumeClaim.data.mount.subPath", "run"),
        Map.entry(v + "persistentVolumeClaim.data.options.claimName", "OnDemand"),
        Map.entry(v + "persistentVolumeClaim.data.options.storageClass", "fast"),
        Map.entry(v + "persistentVolumeClaim.data.options.sizeLimit", "10Gi"),
        Map.entry(v + "persistentVolumeClaim.data.label.team", "data"),
        Map.entry(v + "persistentVolumeClaim.old.mount.path", "/old"),
        Map.entry(v + "persistentVolumeClaim.old.options.claimName", "existing")));

    assertThat(volume(spec, "logs").getHostPath().getPath()).isEqualTo("/var/log/spark");
    assertThat(volume(spec, "logs").getHostPath().getType()).isEqualTo("DirectoryOrCreate");
    assertThat(volume(spec, "scratch").getEmptyDir().getMedium()).isEqualTo("Memory");
    assertThat(volume(spec, "scratch").getEmptyDir().getSizeLimit().toString()).isEqualTo("1Gi");
    assertThat(volume(spec, "share").getNfs().getServer()).isEqualTo("nfs.example.com");
    assertThat(mount(spec, "share").getReadOnly()).isTrue();
    assertThat(mount(spec, "data").getMountPath()).isEqualTo("/data");
    assertThat(mount(spec, "data").getSubPath()).isEqualTo("run");
    assertThat(volume(spec, "old").getPersistentVolumeClaim().getClaimName()).isEqualTo("existing");
    String onDemand = volume(spec, "data").getPersistentVolumeClaim().getClaimName();
    assertThat(onDemand).startsWith(identity.resourcePrefix() + "-driver-pvc-");
    // Only the on-demand claim is created, with the driver, and deleted with it.
    assertThat(spec.resources()).singleElement().isInstanceOfSatisfying(PersistentVolumeClaim.class, claim -> {
      assertThat(claim.getMetadata().getName()).isEqualTo(onDemand);
      assertThat(claim.getMetadata().getLabels()).containsEntry("team", "data").containsEntry("spark-app-selector", identity.appId());
      assertThat(claim.getSpec().getStorageClassName()).isEqualTo("fast");
      assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteOncePod");
      assertThat(claim.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("10Gi");
    });
  }

  @Test
  void aVolumeWithAMissingOptionOrATypeSparkDoesNotKnowIsNamed() {
    String v = "spark.kubernetes.driver.volumes.";
    assertThatThrownBy(() -> driver(Map.of(v + "nfs.share.mount.path", "/share", v + "nfs.share.options.path", "/x")))
        .isInstanceOf(ConfigException.class).hasMessage(v + "nfs.share.options.server is required for nfs volumes");
    assertThatThrownBy(() -> driver(Map.of(v + "emptyDir.scratch.options.medium", "Memory")))
        .isInstanceOf(ConfigException.class).hasMessage(v + "emptyDir.scratch.mount.path is required for emptyDir volumes");
    assertThatThrownBy(() -> driver(Map.of(v + "configMap.x.mount.path", "/x")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("volume type 'configMap' is not one Spark supports");
    assertThatThrownBy(() -> driver(Map.of(v + "emptyDir.a.mount.path", "/same", v + "emptyDir.b.mount.path", "/same")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("/same is also where");
    assertThatThrownBy(() -> driver(
        Map.of(v + "emptyDir.a.mount.path", "/a", v + "emptyDir.a.mount.subPath", "x", v + "emptyDir.a.mount.subPathExpr", "y")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("not both");
  }

  @Test
  void secretsBecomeFilesAndSecretKeysBecomeEnvironmentVariables() {
    DriverSpec spec = driver(Map.of("spark.kubernetes.driver.secrets.db-credentials", "/etc/db",
        "spark.kubernetes.driver.secretKeyRef.DB_PASSWORD", "db-credentials:password"));

    assertThat(volume(spec, "db-credentials-volume").getSecret().getSecretName()).isEqualTo("db-credentials");
    assertThat(mount(spec, "db-credentials-volume").getMountPath()).isEqualTo("/etc/db");
    EnvVar password = sparkContainer(spec).getEnv().stream().filter(e -> e.getName().equals("DB_PASSWORD")).findFirst().orElseThrow();
    assertThat(password.getValueFrom().getSecretKeyRef().getName()).isEqualTo("db-credentials");
    assertThat(password.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("password");
    assertThatThrownBy(() -> driver(Map.of("spark.kubernetes.driver.secretKeyRef.X", "no-key")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("expected SECRET_NAME:KEY");
  }

  @Test
  void serviceOptionsPodNameImageSchedulerAndCustomResources() {
    var requests = new Requests();
    requests.conf = new HashMap<>(Map.of("spark.kubernetes.driver.service.label.team", "data",
        "spark.kubernetes.driver.service.annotation.app", "{{APP_ID}}", "spark.kubernetes.driver.service.ipFamilyPolicy", "PreferDualStack",
        "spark.kubernetes.driver.service.ipFamilies", "IPv6,IPv4", "spark.kubernetes.driver.container.image", "registry/spark-driver:1",
        "spark.kubernetes.scheduler.name", "volcano", "spark.driver.resource.gpu.amount", "1", "spark.driver.resource.gpu.vendor",
        "nvidia.com"));
    SubmitRequest request = requests.build();
    AppIdentity named = identity.withDriverPodName("my-driver");

    DriverSpec spec = new DriverServiceStep(named, request).apply(new BasicDriverStep(request, named, "me", "app.jar")
        .apply(new DriverSpec(new PodBuilder().build(), Map.of(), List.of())));

    Service service = (Service) spec.resources().get(0);
    assertThat(service.getMetadata().getLabels()).containsEntry("team", "data");
    assertThat(service.getMetadata().getAnnotations()).containsEntry("app", identity.appId());
    assertThat(service.getSpec().getIpFamilyPolicy()).isEqualTo("PreferDualStack");
    assertThat(service.getSpec().getIpFamilies()).containsExactly("IPv6", "IPv4");
    assertThat(spec.pod().getMetadata().getName()).isEqualTo("my-driver");
    assertThat(spec.sparkProperties()).containsEntry("spark.kubernetes.driver.pod.name", "my-driver");
    assertThat(spec.pod().getSpec().getSchedulerName()).isEqualTo("volcano");
    assertThat(sparkContainer(spec).getImage()).isEqualTo("registry/spark-driver:1");
    assertThat(sparkContainer(spec).getResources().getLimits().get("nvidia.com/gpu").toString()).isEqualTo("1");
    assertThatThrownBy(() -> identity.withDriverPodName("My_Driver")).isInstanceOf(ConfigException.class);
    var noVendor = new Requests();
    noVendor.conf = new HashMap<>(Map.of("spark.driver.resource.gpu.amount", "1"));
    assertThatThrownBy(() -> new BasicDriverStep(noVendor.build(), identity, "me", "app.jar")
        .apply(new DriverSpec(new PodBuilder().build(), Map.of(), List.of())))
        .isInstanceOf(ConfigException.class).hasMessageContaining("spark.driver.resource.gpu.vendor is not");
  }

  @Test
  void aTemplateThatMountsItsOwnLocalDirsKeepsThemAsSparkDoes() {
    var requests = new Requests();
    SubmitRequest request = requests.build();
    var pod = new PodBuilder().withNewSpec().addNewContainer().withName("spark-kubernetes-driver")
        .addNewVolumeMount().withName("spark-local-dir-fast").withMountPath("/nvme").endVolumeMount().endContainer().endSpec().build();

    DriverSpec spec = new LocalDirsStep(request).apply(new DriverSpec(pod, Map.of(), List.of()));

    assertThat(spec.pod().getSpec().getVolumes()).isEmpty();
    assertThat(sparkContainer(spec).getEnv()).anyMatch(env -> env.getName().equals("SPARK_LOCAL_DIRS") && env.getValue().equals("/nvme"));
  }
}
