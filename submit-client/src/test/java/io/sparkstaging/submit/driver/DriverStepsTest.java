package io.sparkstaging.submit.driver;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.sparkstaging.submit.pod.InitContainerSpec;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each step alone, on the smallest spec it needs. */
class DriverStepsTest {
  private final AppIdentity identity = AppIdentity.create("pi", new SecureRandom(), Clock.systemUTC());
  private final SubmitRequest request = new Requests().build();

  private DriverSpec empty() {
    return new DriverSpec(new PodBuilder().build(), Map.of(), List.of());
  }

  private DriverSpec withDriver() {
    return new BasicDriverStep(request, identity, "me", "local:///var/spark-data/spark-jars/app.jar").apply(empty());
  }

  @Test
  void basicDriverStepBuildsTheDriverContainerAndItsProperties() {
    DriverSpec spec = withDriver();

    Container driver = spec.pod().getSpec().getContainers().get(0);
    assertThat(driver.getName()).isEqualTo("spark-kubernetes-driver");
    assertThat(driver.getPorts()).extracting(port -> port.getName() + ":" + port.getContainerPort())
        .containsExactly("driver-rpc-port:7078", "blockmanager:7079", "spark-ui:4040");
    assertThat(driver.getEnv()).extracting(env -> env.getName()).containsExactly("SPARK_USER", "SPARK_APPLICATION_ID",
        "SPARK_DRIVER_BIND_ADDRESS");
    assertThat(spec.sparkProperties()).containsEntry("spark.kubernetes.submitInDriver", "true")
        .containsEntry("spark.kubernetes.driver.pod.name", identity.driverPodName());
  }

  @Test
  void basicDriverStepKeepsTheUsersOwnDriverLabelsButNotOverTheReservedOnes() {
    var requests = new Requests();
    requests.conf =
        new java.util.HashMap<>(Map.of("spark.kubernetes.driver.label.team", "data", "spark.kubernetes.driver.label.spark-role", "x"));

    DriverSpec spec = new BasicDriverStep(requests.build(), identity, "me", "app.jar").apply(empty());

    assertThat(spec.pod().getMetadata().getLabels()).containsEntry("team", "data").containsEntry("spark-role", "driver");
  }

  @Test
  void basicDriverStepAppliesAnnotationsNodeSelectorsAndPullSecrets() {
    var requests = new Requests();
    requests.conf = new java.util.HashMap<>(Map.of("spark.kubernetes.driver.annotation.owner", "team-a",
        "spark.kubernetes.node.selector.pool", "spark", "spark.kubernetes.driver.node.selector.zone", "a",
        "spark.kubernetes.container.image.pullSecrets", "registry-a, registry-b"));

    Pod pod = new BasicDriverStep(requests.build(), identity, "me", "app.jar").apply(empty()).pod();

    assertThat(pod.getMetadata().getAnnotations()).containsEntry("owner", "team-a");
    assertThat(pod.getSpec().getNodeSelector()).containsEntry("pool", "spark").containsEntry("zone", "a");
    assertThat(pod.getSpec().getImagePullSecrets()).extracting(ref -> ref.getName()).containsExactly("registry-a", "registry-b");
  }

  @Test
  void theAppIdIsFilledIntoDriverLabelsAndAnnotations() {
    var requests = new Requests();
    requests.conf = new java.util.HashMap<>(Map.of("spark.kubernetes.driver.annotation.logs", "https://logs.example.com/{{APP_ID}}",
        "spark.kubernetes.driver.label.run", "{{APP_ID}}"));

    DriverSpec spec = new BasicDriverStep(requests.build(), identity, "me", "app.jar").apply(empty());

    assertThat(spec.pod().getMetadata().getAnnotations()).containsEntry("logs", "https://logs.example.com/" + identity.appId());
    assertThat(spec.pod().getMetadata().getLabels()).containsEntry("run", identity.appId());
    assertThat(spec.sparkProperties()).containsEntry("spark.kubernetes.jars.avoidDownloadSchemes", "local");
  }

  @Test
  void basicDriverStepAddsDriverEnvAndACpuLimitWhenAsked() {
    var requests = new Requests();
    requests.conf =
        new java.util.HashMap<>(Map.of("spark.kubernetes.driverEnv.LOG_LEVEL", "debug", "spark.kubernetes.driver.limit.cores", "2"));

    Container driver =
        new BasicDriverStep(requests.build(), identity, "me", "app.jar").apply(empty()).pod().getSpec().getContainers().get(0);

    assertThat(driver.getEnv()).anyMatch(env -> env.getName().equals("LOG_LEVEL") && env.getValue().equals("debug"));
    assertThat(driver.getResources().getLimits().get("cpu").toString()).isEqualTo("2");
  }

  @Test
  void aPythonDriverRunsSparksPythonRunnerWithThePythonItWasGivenAndMoreRoomBesideTheHeap() {
    var requests = new Requests();
    requests.kind = AppKind.PYTHON;
    requests.mainClass = AppKind.PYTHON_RUNNER;
    requests.conf = new java.util.HashMap<>(Map.of("spark.pyspark.driver.python", "./environment/bin/python"));
    requests.environment = Map.of("PYSPARK_PYTHON", "/usr/bin/python3.11");

    DriverSpec spec = new BasicDriverStep(requests.build(), identity, "me", "local:///var/spark-data/spark-files/job.py").apply(empty());

    Container driver = spec.pod().getSpec().getContainers().get(0);
    assertThat(driver.getArgs()).containsExactly("driver", "--properties-file", "/opt/spark/conf/spark.properties", "--class",
        "org.apache.spark.deploy.PythonRunner", "local:///var/spark-data/spark-files/job.py", "in.txt");
    assertThat(driver.getEnv()).filteredOn(env -> env.getName().startsWith("PYSPARK_"))
        .extracting(env -> env.getName() + "=" + env.getValue())
        .containsExactly("PYSPARK_PYTHON=/usr/bin/python3.11", "PYSPARK_DRIVER_PYTHON=./environment/bin/python");
    // 1g heap: 0.4 x 1024 = 409 MiB of overhead, more than the 384 MiB floor.
    assertThat(driver.getResources().getLimits().get("memory").toString()).isEqualTo("1433Mi");
    assertThat(spec.sparkProperties()).containsEntry("spark.kubernetes.resource.type", "python")
        .containsEntry("spark.kubernetes.memoryOverheadFactor", "0.4");
  }

  @Test
  void theDriversOwnOverheadSettingsWinAndAJavaDriverGetsNoPythonEnvironment() {
    var requests = new Requests();
    requests.conf = new java.util.HashMap<>(Map.of("spark.driver.memory", "4g", "spark.driver.memoryOverheadFactor", "0.25",
        "spark.kubernetes.memoryOverheadFactor", "0.2"));
    requests.environment = Map.of("PYSPARK_PYTHON", "/usr/bin/python3");

    DriverSpec spec = new BasicDriverStep(requests.build(), identity, "me", "app.jar").apply(empty());

    Container driver = spec.pod().getSpec().getContainers().get(0);
    assertThat(driver.getResources().getLimits().get("memory").toString()).isEqualTo((4096 + 1024) + "Mi");
    assertThat(driver.getEnv()).noneMatch(env -> env.getName().startsWith("PYSPARK_"));
    assertThat(spec.sparkProperties()).containsEntry("spark.kubernetes.resource.type", "java")
        .containsEntry("spark.kubernetes.memoryOverheadFactor", "0.2");
  }

  @Test
  void aProxyUserComesBeforeThePropertiesFileAndDependencyKeysAreNotPassedOnAsGiven() {
    var requests = new Requests();
    requests.proxyUser = "alice";
    requests.conf = new java.util.HashMap<>(Map.of("spark.jars.packages", "org.example:lib:1.0", "spark.jars", "/laptop/lib.jar",
        "spark.jars.repositories", "https://repo.example.com"));

    DriverSpec spec = new BasicDriverStep(requests.build(), identity, "me", "app.jar").apply(empty());

    assertThat(spec.pod().getSpec().getContainers().get(0).getArgs()).startsWith("driver", "--proxy-user", "alice", "--properties-file");
    assertThat(spec.sparkProperties()).doesNotContainKeys("spark.jars.packages", "spark.jars", "spark.jars.repositories");
  }

  @Test
  void sparkPropertiesStepShipsTheSubmittersConfigurationFilesBesideSparkProperties() {
    DriverSpec spec = new SparkPropertiesStep(identity, "ns", Map.of("log4j2.properties", "rootLogger.level = warn"))
        .apply(withDriver().withProperties(Map.of("a.key", "1")));

    ConfigMap conf = (ConfigMap) spec.resources().get(0);
    assertThat(conf.getData()).containsEntry("log4j2.properties", "rootLogger.level = warn").containsKey("spark.properties");
    assertThat(spec.pod().getSpec().getVolumes().get(0).getConfigMap().getItems()).extracting(item -> item.getKey() + "->" + item.getPath())
        .containsExactly("log4j2.properties->log4j2.properties", "spark.properties->spark.properties");
  }

  @Test
  void driverServiceStepSelectsTheDriverPod() {
    DriverSpec spec = new DriverServiceStep(identity, request).apply(withDriver());

    Service service = (Service) spec.resources().get(0);
    assertThat(service.getMetadata().getName()).isEqualTo(identity.driverServiceName());
    assertThat(service.getSpec().getSelector()).isEqualTo(spec.pod().getMetadata().getLabels());
    assertThat(spec.sparkProperties()).containsEntry("spark.driver.port", "7078");
  }

  @Test
  void executorPodTemplateStepDoesNothingWithoutAnInitContainer() {
    DriverSpec before = withDriver();

    assertThat(new ExecutorPodTemplateStep(identity, "ns", Optional.empty(), new PodPolicy(false, true), Optional.empty()).apply(before))
        .isEqualTo(before);
  }

  @Test
  void executorPodTemplateStepMountsTheTemplateInTheDriver() {
    var init = new InitContainerSpec("init", "IfNotPresent", "cfg", Optional.empty());

    DriverSpec spec =
        new ExecutorPodTemplateStep(identity, "ns", Optional.of(init), new PodPolicy(true, true), Optional.empty()).apply(withDriver());

    assertThat(spec.pod().getSpec().getContainers().get(0).getVolumeMounts()).extracting(mount -> mount.getMountPath())
        .containsExactly("/opt/spark/pod-template");
  }

  @Test
  void sparkPropertiesStepWritesEveryPropertySortedAndMountsThem() {
    DriverSpec spec =
        new SparkPropertiesStep(identity, "ns", Map.of()).apply(withDriver().withProperties(Map.of("b.key", "2", "a.key", "1")));

    ConfigMap conf = (ConfigMap) spec.resources().get(0);
    String text = conf.getData().get("spark.properties");
    assertThat(text.indexOf("a.key=1")).isLessThan(text.indexOf("b.key=2"));
    assertThat(text).doesNotStartWith("#");
    Pod pod = spec.pod();
    assertThat(pod.getSpec().getContainers().get(0).getVolumeMounts()).extracting(mount -> mount.getMountPath())
        .contains("/opt/spark/conf");
  }

  @Test
  void appLabelsStepLabelsEveryObjectWithoutTouchingTheOriginals() {
    ConfigMap unlabelled = new ConfigMapBuilder().withNewMetadata().withName("x").endMetadata().build();
    DriverSpec spec = empty().withResource(unlabelled);

    DriverSpec labelled = new AppLabelsStep(identity).apply(spec);

    assertThat(labelled.resources().get(0).getMetadata().getLabels())
        .containsEntry("spark-app-selector", identity.appId()).containsEntry("spark-role", "driver");
    assertThat(unlabelled.getMetadata().getLabels()).isNullOrEmpty();
  }
}
