package io.sparkstaging.submit.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.sparkstaging.submit.deps.DependencyPlan;
import io.sparkstaging.submit.stage.StagedBundle;
import io.sparkstaging.submit.support.PodChecks;
import io.sparkstaging.submit.stage.StagingTrust;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DriverSpecBuilderTest {
  private static final StagedBundle JARS = new StagedBundle("0123456789abcdef0123456789abcdef", "jars-secret", 10, "00");
  private static final StagedBundle FILES = new StagedBundle("fedcba9876543210fedcba9876543210", "files-secret", 10, "00");
  private final AppIdentity identity = AppIdentity.create("Word Count", new SecureRandom(), Clock.systemUTC());

  private DriverSpec build(Requests requests, StagedDependencies staged) {
    return build(requests, staged, StagingTrust.ForPods.none());
  }

  private DriverSpec build(Requests requests, StagedDependencies staged, StagingTrust.ForPods trust) {
    SubmitRequest request = requests.build();
    return DriverSpecBuilder.build(request, identity, DependencyPlan.of(request, Path.of("plugin.jar")), staged, trust, "me");
  }

  private static StagedDependencies stagedAppAndLib() {
    return new StagedDependencies(Optional.of(JARS), Optional.of(FILES));
  }

  private static Requests appWithLibAndFile() {
    var requests = new Requests();
    requests.jars = List.of(Requests.local("lib.jar"), "local:///opt/extra/extra.jar", "https://repo.example.com/remote.jar");
    requests.files = List.of(Requests.local("words.txt"));
    return requests;
  }

  @SuppressWarnings("unchecked")
  private static <T extends HasMetadata> T resource(DriverSpec spec, Class<T> type, String nameSuffix) {
    return (T) spec.resources().stream().filter(type::isInstance).filter(r -> r.getMetadata().getName().endsWith(nameSuffix)).findFirst().orElseThrow();
  }

  private static Container container(Pod pod, String name) {
    return pod.getSpec().getContainers().stream().filter(c -> c.getName().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void theDriverRunsThePrimaryJarFromWhereTheInitContainerPutsIt() {
    DriverSpec spec = build(appWithLibAndFile(), stagedAppAndLib());

    Container driver = container(spec.pod(), "spark-kubernetes-driver");
    assertThat(driver.getArgs()).containsExactly("driver", "--properties-file", "/opt/spark/conf/spark.properties", "--class",
        "org.example.WordCount", "local:///var/spark-data/spark-jars/app.jar", "in.txt");
    // Cluster-mode Spark expects the primary jar in spark.jars as well.
    assertThat(spec.sparkProperties().get("spark.jars")).isEqualTo("local:///var/spark-data/spark-jars/app.jar,"
        + "local:///var/spark-data/spark-jars/spark-staging-plugin.jar,local:///var/spark-data/spark-jars/lib.jar,"
        + "local:///opt/extra/extra.jar,local:///var/spark-data/spark-jars/remote.jar");
    assertThat(spec.sparkProperties().get("spark.files")).isEqualTo("local:///var/spark-data/spark-files/words.txt");
  }

  @Test
  void thePodCarriesSparksLabelsAndTheInitContainer() {
    DriverSpec spec = build(appWithLibAndFile(), stagedAppAndLib());

    assertThat(spec.pod().getMetadata().getLabels()).containsEntry("spark-app-selector", identity.appId())
        .containsEntry("spark-role", "driver").containsEntry("spark-app-name", "word-count");
    assertThat(spec.pod().getSpec().getInitContainers()).extracting(Container::getName).containsExactly("spark-init");
    // Spark's scratch space, which Spark's own client gives the driver.
    assertThat(spec.pod().getSpec().getVolumes()).extracting(Volume::getName).filteredOn(name -> name.startsWith("spark-local-dir-"))
        .containsExactly("spark-local-dir-1");
    assertThat(container(spec.pod(), "spark-kubernetes-driver").getEnv()).anyMatch(env -> env.getName().equals("SPARK_LOCAL_DIRS")
        && env.getValue().startsWith("/var/data/spark-"));
    assertThat(spec.pod().getSpec().getRestartPolicy()).isEqualTo("Never");
    assertThat(container(spec.pod(), "spark-kubernetes-driver").getResources().getLimits().get("memory").toString()).isEqualTo("1408Mi");
  }

  @Test
  void theInitContainerIsConfiguredWithTheOriginalKeysAndTheInternalUri() {
    DriverSpec spec = build(appWithLibAndFile(), stagedAppAndLib());

    String properties = resource(spec, ConfigMap.class, "-init-config").getData().get("download-submitted-files");
    assertThat(properties.lines()).contains(
        "spark.kubernetes.resourceStagingServer.uri=http\\://spark-staging.spark.svc\\:10000",
        "spark.kubernetes.initcontainer.downloadJarsResourceIdentifier=" + JARS.resourceId(),
        "spark.kubernetes.initcontainer.downloadJarsSecretLocation=/mnt/secrets/spark-init/downloadSubmittedJarsSecret",
        "spark.kubernetes.initcontainer.downloadFilesResourceIdentifier=" + FILES.resourceId(),
        "spark.kubernetes.initcontainer.remoteJars=https\\://repo.example.com/remote.jar");
    assertThat(properties).doesNotContain("jars-secret");

    Secret secret = resource(spec, Secret.class, "-init-secret");
    assertThat(new String(Base64.getDecoder().decode(secret.getData().get("downloadSubmittedJarsSecret")), StandardCharsets.UTF_8)).isEqualTo("jars-secret");
  }

  @Test
  void executorsGetTheSameInitContainerThroughThePodTemplate() {
    DriverSpec spec = build(appWithLibAndFile(), stagedAppAndLib());

    String yaml = resource(spec, ConfigMap.class, "-driver-podspec-conf-map").getData().get("podspec-configmap-key");
    Pod template = new KubernetesSerialization().unmarshal(yaml, Pod.class);
    assertThat(template.getSpec().getContainers()).extracting(Container::getName).containsExactly("spark-kubernetes-executor");
    assertThat(template.getSpec().getInitContainers()).extracting(Container::getName).containsExactly("spark-init");
    assertThat(template.getSpec().getVolumes()).extracting(Volume::getName).contains("spark-init-secret", "download-jars-volume");
    assertThat(spec.sparkProperties()).containsEntry("spark.kubernetes.executor.podTemplateFile", "/opt/spark/pod-template/pod-spec-template.yml")
        .containsEntry("spark.kubernetes.executor.podTemplateContainerName", "spark-kubernetes-executor");
  }

  @Test
  void sparkPropertiesSayWhatTheDriverNeedsAndLiveInAnImmutableConfigMap() {
    var requests = appWithLibAndFile();
    requests.conf = new java.util.HashMap<>(Map.of("spark.executor.instances", "3", "spark.driver.memory", "2g"));

    DriverSpec spec = build(requests, stagedAppAndLib());

    Service service = resource(spec, Service.class, "-driver-svc");
    assertThat(service.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(service.getSpec().getSelector()).isEqualTo(spec.pod().getMetadata().getLabels());
    ConfigMap conf = resource(spec, ConfigMap.class, "spark-drv-" + identity.uniqueId() + "-conf-map");
    assertThat(conf.getImmutable()).isTrue();
    assertThat(conf.getData().get("spark.properties").lines()).contains(
        "spark.app.id=" + identity.appId(),
        "spark.driver.host=" + identity.driverServiceName() + ".spark-jobs.svc",
        "spark.kubernetes.driver.pod.name=" + identity.driverPodName(),
        "spark.kubernetes.namespace=spark-jobs",
        "spark.kubernetes.submitInDriver=true",
        "spark.executor.instances=3",
        "spark.driver.memory=2g");
    assertThat(conf.getData().get("spark.properties")).doesNotContain("jars-secret", "files-secret");
    assertThat(container(spec.pod(), "spark-kubernetes-driver").getEnv()).anyMatch(env -> env.getName().equals("SPARK_CONF_DIR"));
  }

  @Test
  void thePodsTrustForTheStagingServerTravelsInTheInitSecret() {
    var trust = new StagingTrust.ForPods(Map.of("spark.ssl.kubernetes.resourceStagingServer.clientCertPem", "/mnt/secrets/spark-init/ssl-certificate"),
        Map.of("ssl-certificate", "Q0VSVA=="));

    DriverSpec spec = build(appWithLibAndFile(), stagedAppAndLib(), trust);

    assertThat(resource(spec, Secret.class, "-init-secret").getData()).containsEntry("ssl-certificate", "Q0VSVA==");
    assertThat(resource(spec, ConfigMap.class, "-init-config").getData().get("download-submitted-files"))
        .contains("spark.ssl.kubernetes.resourceStagingServer.clientCertPem=/mnt/secrets/spark-init/ssl-certificate");
  }

  @Test
  void withNothingLocalOrRemoteThereIsNoInitContainer() {
    var requests = new Requests();
    requests.primaryResource = "local:///opt/spark/examples/jars/spark-examples.jar";

    DriverSpec spec = build(requests, StagedDependencies.none());

    assertThat(spec.pod().getSpec().getInitContainers()).isEmpty();
    // The executor template is still there, for the executors' pod security.
    assertThat(spec.resources()).extracting(r -> r.getKind()).containsExactlyInAnyOrder("Service", "ConfigMap", "ConfigMap");
    Pod template = executorTemplate(spec);
    assertThat(template.getSpec().getInitContainers()).isEmpty();
    assertThat(PodChecks.restrictedViolations(template.getSpec())).isEmpty();
  }

  @Test
  void withPodSecurityNoneAndNothingToFetchThereIsNoExecutorTemplate() {
    var requests = new Requests();
    requests.primaryResource = "local:///opt/spark/examples/jars/spark-examples.jar";
    requests.conf = new java.util.HashMap<>(Map.of("spark.kubernetes.staging.podSecurity", "none"));

    DriverSpec spec = build(requests, StagedDependencies.none());

    assertThat(spec.sparkProperties()).doesNotContainKey("spark.kubernetes.executor.podTemplateFile");
  }

  private static Pod executorTemplate(DriverSpec spec) {
    String yaml = resource(spec, ConfigMap.class, "-driver-podspec-conf-map").getData().get("podspec-configmap-key");
    return new KubernetesSerialization().unmarshal(yaml, Pod.class);
  }

  @Test
  void theDriverAndTheExecutorTemplatePassAQuotaOnCpuAndMemoryAndTheRestrictedStandard() {
    DriverSpec spec = build(appWithLibAndFile(), stagedAppAndLib());

    Pod template = executorTemplate(spec);
    assertThat(PodChecks.quotaViolations(spec.pod().getSpec())).isEmpty();
    assertThat(PodChecks.restrictedViolations(spec.pod().getSpec())).isEmpty();
    assertThat(PodChecks.restrictedViolations(template.getSpec())).isEmpty();
    // Spark sets the executors' requests and memory limit itself; their CPU limit comes from this property.
    assertThat(PodChecks.quotaViolations(template.getSpec())).containsExactlyInAnyOrder("spark-kubernetes-executor: no requests.cpu",
        "spark-kubernetes-executor: no requests.memory", "spark-kubernetes-executor: no limits.cpu", "spark-kubernetes-executor: no limits.memory");
    assertThat(spec.sparkProperties()).containsEntry("spark.kubernetes.executor.limit.cores", "1");
    Container init = template.getSpec().getInitContainers().get(0);
    assertThat(init.getResources().getRequests()).containsEntry("cpu", new io.fabric8.kubernetes.api.model.Quantity("250m"))
        .containsEntry("memory", new io.fabric8.kubernetes.api.model.Quantity("256Mi"));
    assertThat(container(spec.pod(), "spark-kubernetes-driver").getSecurityContext().getRunAsUser()).isEqualTo(185L);
  }

  @Test
  void bothDefaultsCanBeRelaxedAndTheInitContainerSized() {
    var requests = appWithLibAndFile();
    requests.conf = new java.util.HashMap<>(Map.of("spark.kubernetes.staging.podSecurity", "none", "spark.kubernetes.staging.cpuLimits", "false",
        "spark.kubernetes.initcontainer.memory", "512Mi", "spark.kubernetes.initcontainer.limit.cores", "2"));

    DriverSpec spec = build(requests, stagedAppAndLib());

    assertThat(PodChecks.quotaViolations(spec.pod().getSpec())).containsExactly("spark-kubernetes-driver: no limits.cpu");
    assertThat(PodChecks.restrictedViolations(spec.pod().getSpec())).contains("spark-kubernetes-driver: allowPrivilegeEscalation is not false");
    assertThat(spec.sparkProperties()).doesNotContainKey("spark.kubernetes.executor.limit.cores");
    Container init = spec.pod().getSpec().getInitContainers().get(0);
    assertThat(init.getResources().getLimits().get("memory").toString()).isEqualTo("512Mi");
    assertThat(init.getResources().getLimits().get("cpu").toString()).isEqualTo("2");
  }

  @Test
  void aBadQuantityOrPolicyIsNamed() {
    for (var entry : Map.of("spark.kubernetes.initcontainer.memory", "lots", "spark.kubernetes.staging.podSecurity", "baseline").entrySet()) {
      var requests = appWithLibAndFile();
      requests.conf = new java.util.HashMap<>(Map.of(entry.getKey(), entry.getValue()));

      org.assertj.core.api.Assertions.assertThatThrownBy(() -> build(requests, stagedAppAndLib()))
          .isInstanceOf(io.sparkstaging.common.config.ConfigException.class).hasMessageStartingWith(entry.getKey() + "=" + entry.getValue());
    }
  }
}
