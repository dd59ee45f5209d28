package io.sparkstaging.submit.driver;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.sparkstaging.common.images.ProjectImages;
import io.sparkstaging.server.support.PodChecks;
import io.sparkstaging.submit.deps.DependencyPlan;
import io.sparkstaging.submit.pod.PodTemplate;
import io.sparkstaging.submit.stage.StagedBundle;
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
    return (T) spec.resources().stream().filter(type::isInstance).filter(r -> r.getMetadata().getName().endsWith(nameSuffix)).findFirst()
        .orElseThrow();
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
  void withoutAnInitImageTheDriverAndExecutorsGetThisVersionsOwn() {
    Requests requests = appWithLibAndFile();
    requests.initImage = null;
    DriverSpec spec = build(requests, stagedAppAndLib());

    assertThat(spec.pod().getSpec().getInitContainers()).extracting(Container::getImage).containsExactly(ProjectImages.init());
    assertThat(ProjectImages.init()).endsWith("/spark-staging-init:" + ProjectImages.tag()).doesNotContain("${");
    String yaml = resource(spec, ConfigMap.class, "-driver-podspec-conf-map").getData().get("podspec-configmap-key");
    assertThat(new KubernetesSerialization().unmarshal(yaml, Pod.class).getSpec().getInitContainers()).extracting(Container::getImage)
        .containsExactly(ProjectImages.init());
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
    assertThat(new String(Base64.getDecoder().decode(secret.getData().get("downloadSubmittedJarsSecret")), StandardCharsets.UTF_8))
        .isEqualTo("jars-secret");
  }

  @Test
  void executorsGetTheSameInitContainerThroughThePodTemplate() {
    DriverSpec spec = build(appWithLibAndFile(), stagedAppAndLib());

    String yaml = resource(spec, ConfigMap.class, "-driver-podspec-conf-map").getData().get("podspec-configmap-key");
    Pod template = new KubernetesSerialization().unmarshal(yaml, Pod.class);
    assertThat(template.getSpec().getContainers()).extracting(Container::getName).containsExactly("spark-kubernetes-executor");
    assertThat(template.getSpec().getInitContainers()).extracting(Container::getName).containsExactly("spark-init");
    assertThat(template.getSpec().getVolumes()).extracting(Volume::getName).contains("spark-init-secret", "download-jars-volume");
    assertThat(spec.sparkProperties())
        .containsEntry("spark.kubernetes.executor.podTemplateFile", "/opt/spark/pod-template/pod-spec-template.yml")
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
    var trust = new StagingTrust.ForPods(
        Map.of("spark.ssl.kubernetes.resourceStagingServer.clientCertPem", "/mnt/secrets/spark-init/ssl-certificate"),
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

  private PodTemplate template(String yaml, String key) throws Exception {
    Path file = java.nio.file.Files.createTempFile("template", ".yaml");
    java.nio.file.Files.writeString(file, yaml);
    return PodTemplate.load(file, Optional.of("main"), key, "spark-kubernetes-driver");
  }

  private static final String TEMPLATE = String.join("\n",
      "apiVersion: v1",
      "kind: Pod",
      "metadata:",
      "  name: ignored",
      "  labels: {team: data}",
      "  annotations: {owner: alice}",
      "spec:",
      "  securityContext: {runAsUser: 1000, fsGroup: 1000}",
      "  tolerations: [{key: spark, operator: Exists, effect: NoSchedule}]",
      "  affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: "
          + "[{matchExpressions: [{key: pool, operator: In, values: [spark]}]}]}}}",
      "  initContainers: [{name: wait-for-db, image: busybox}]",
      "  volumes: [{name: certs, secret: {secretName: certs}}]",
      "  containers:",
      "  - name: main",
      "    env: [{name: TEAM, value: data}]",
      "    volumeMounts: [{name: certs, mountPath: /etc/certs}]",
      "    resources: {limits: {ephemeral-storage: 2Gi}}",
      "  - name: log-shipper",
      "    image: fluent-bit",
      "");

  @Test
  void theUsersTemplatesAreTheBaseOfTheDriverAndOfTheExecutorTemplate() throws Exception {
    var requests = appWithLibAndFile();
    requests.templates = new SubmitRequest.Templates(Optional.of(template(TEMPLATE, "spark.kubernetes.driver.podTemplateFile")),
        Optional.of(template(TEMPLATE, "spark.kubernetes.executor.podTemplateFile")));

    DriverSpec spec = build(requests, stagedAppAndLib());

    for (Pod pod : List.of(spec.pod(), executorTemplate(spec))) {
      var podSpec = pod.getSpec();
      assertThat(podSpec.getTolerations()).extracting(t -> t.getKey()).containsExactly("spark");
      assertThat(podSpec.getAffinity().getNodeAffinity()).isNotNull();
      assertThat(podSpec.getSecurityContext().getRunAsUser()).isEqualTo(1000L);
      assertThat(podSpec.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
      // The user's init-containers run first, then the staging init-container.
      assertThat(podSpec.getInitContainers()).extracting(Container::getName).containsExactly("wait-for-db", "spark-init");
      assertThat(podSpec.getVolumes()).extracting(Volume::getName).contains("certs", "download-jars-volume");
      // The Spark container keeps its name, env, mounts and other resources.
      assertThat(podSpec.getContainers()).extracting(Container::getName).containsExactlyInAnyOrder("log-shipper", "main");
      Container main = podSpec.getContainers().stream().filter(c -> c.getName().equals("main")).findFirst().orElseThrow();
      assertThat(main.getEnv()).anyMatch(env -> env.getName().equals("TEAM"));
      assertThat(main.getVolumeMounts()).extracting(m -> m.getName()).contains("certs", "download-jars-volume");
      assertThat(main.getResources().getLimits()).containsKey("ephemeral-storage");
      // The template says which user; the stock image's uid is not forced on it.
      assertThat(main.getSecurityContext().getRunAsUser()).isNull();
    }
    assertThat(spec.sparkContainer()).isEqualTo("main");
    // In the driver it comes last, after the template's sidecars, as Spark puts it (Spark does the same for each executor).
    assertThat(spec.pod().getSpec().getContainers()).extracting(Container::getName).containsExactly("log-shipper", "main");
    assertThat(spec.pod().getMetadata().getName()).isEqualTo(identity.driverPodName());
    assertThat(spec.pod().getMetadata().getLabels()).containsEntry("team", "data").containsEntry("spark-role", "driver");
    assertThat(spec.pod().getMetadata().getAnnotations()).containsEntry("owner", "alice");
    assertThat(spec.pod().getSpec().getContainers().get(1).getArgs()).startsWith("driver", "--properties-file");
    assertThat(spec.sparkProperties()).containsEntry("spark.kubernetes.executor.podTemplateContainerName", "main");
  }

  @Test
  void aTemplateThatAlreadyHasTheInitContainersVolumeIsNamed() throws Exception {
    var requests = appWithLibAndFile();
    requests.templates = new SubmitRequest.Templates(Optional.of(template(
        "apiVersion: v1\nkind: Pod\nspec:\n  volumes: [{name: download-files, emptyDir: {}}]\n  containers: [{name: main}]\n",
        "spark.kubernetes.driver.podTemplateFile")), Optional.empty());

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> build(requests, stagedAppAndLib()))
        .isInstanceOf(io.sparkstaging.common.config.ConfigException.class)
        .hasMessageStartingWith("spark.kubernetes.driver.podTemplateFile=")
        .hasMessageEndingWith(": the pod already has a volume named 'download-files', which the init-container needs");
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
        "spark-kubernetes-executor: no requests.memory", "spark-kubernetes-executor: no limits.cpu",
        "spark-kubernetes-executor: no limits.memory");
    assertThat(spec.sparkProperties()).containsEntry("spark.kubernetes.executor.limit.cores", "1");
    Container init = template.getSpec().getInitContainers().get(0);
    assertThat(init.getResources().getRequests()).containsEntry("cpu", new io.fabric8.kubernetes.api.model.Quantity("250m"))
        .containsEntry("memory", new io.fabric8.kubernetes.api.model.Quantity("256Mi"));
    assertThat(container(spec.pod(), "spark-kubernetes-driver").getSecurityContext().getRunAsUser()).isEqualTo(185L);
  }

  @Test
  void bothDefaultsCanBeRelaxedAndTheInitContainerSized() {
    var requests = appWithLibAndFile();
    requests.conf =
        new java.util.HashMap<>(Map.of("spark.kubernetes.staging.podSecurity", "none", "spark.kubernetes.staging.cpuLimits", "false",
            "spark.kubernetes.initcontainer.memory", "512Mi", "spark.kubernetes.initcontainer.limit.cores", "2"));

    DriverSpec spec = build(requests, stagedAppAndLib());

    assertThat(PodChecks.quotaViolations(spec.pod().getSpec())).containsExactly("spark-kubernetes-driver: no limits.cpu");
    assertThat(PodChecks.restrictedViolations(spec.pod().getSpec()))
        .contains("spark-kubernetes-driver: allowPrivilegeEscalation is not false");
    assertThat(spec.sparkProperties()).doesNotContainKey("spark.kubernetes.executor.limit.cores");
    Container init = spec.pod().getSpec().getInitContainers().get(0);
    assertThat(init.getResources().getLimits().get("memory").toString()).isEqualTo("512Mi");
    assertThat(init.getResources().getLimits().get("cpu").toString()).isEqualTo("2");
  }

  @Test
  void aBadQuantityOrPolicyIsNamed() {
    for (var entry : Map.of("spark.kubernetes.initcontainer.memory", "lots", "spark.kubernetes.staging.podSecurity", "baseline")
        .entrySet()) {
      var requests = appWithLibAndFile();
      requests.conf = new java.util.HashMap<>(Map.of(entry.getKey(), entry.getValue()));

      org.assertj.core.api.Assertions.assertThatThrownBy(() -> build(requests, stagedAppAndLib()))
          .isInstanceOf(io.sparkstaging.common.config.ConfigException.class)
          .hasMessageStartingWith(entry.getKey() + "=" + entry.getValue());
    }
  }
}
