package io.sparkstaging.submit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.sparkstaging.server.support.TestServer;
import io.sparkstaging.submit.SubmitClientMain;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What spark-submit users pass, through {@code submit}, against fabric8's mock API server (CRUD mode) and a real staging server. */
@EnableKubernetesMockClient(crud = true, https = false)
class SparkSubmitOptionsIT {
  private static final String NAMESPACE = "spark-jobs";

  KubernetesClient client;

  @TempDir
  Path dataDir;
  @TempDir
  Path work;
  @TempDir
  Path emptyRepository;
  private final Map<String, String> environment = new HashMap<>();

  @BeforeEach
  void laptop() throws Exception {
    Files.writeString(work.resolve("job.py"), "print('hi')");
    Files.writeString(work.resolve("helper.py"), "x = 1");
    Files.writeString(work.resolve("data one.txt"), "data");
    Files.write(work.resolve("env.tar.gz"), new byte[] {0x1f, (byte) 0x8b});
    Files.writeString(work.resolve("app.jar"), "jar");
    Files.writeString(work.resolve("broken.yaml"), "kind: Pod\nspec: [unclosed\n");
    Files.writeString(work.resolve("deployment.yaml"), "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n");
    Files.writeString(work.resolve("driver.yaml"), String.join("\n", "apiVersion: v1", "kind: Pod", "metadata:", "  labels: {team: data}",
        "spec:", "  tolerations: [{key: spark, operator: Exists, effect: NoSchedule}]",
        "  containers:", "  - {name: log-shipper, image: fluent-bit}", "  - {name: main, env: [{name: TEAM, value: data}]}", ""));
    // --packages must never reach the network in a test.
    environment.put("DEFAULT_ARTIFACT_REPOSITORY", emptyRepository.toUri().toString());
  }

  private Submitter.Run submit(String stagingServer, String... rest) {
    var args = new ArrayList<>(List.of("submit", "--master", "k8s://" + client.getConfiguration().getMasterUrl(), "--no-wait",
        "--conf", "spark.kubernetes.namespace=" + NAMESPACE, "--image", "apache/spark:4.0.1",
        "--init-image", "registry.example.com/spark-staging-init:0.1.0", "--staging-server", stagingServer));
    args.addAll(List.of(rest));
    return new Submitter(environment).run(args.toArray(String[]::new));
  }

  private String path(String name) {
    return work.resolve(name).toString();
  }

  private ConfigMap configMap(String prefix) {
    return client.configMaps().inNamespace(NAMESPACE).list().getItems().stream()
        .filter(map -> map.getMetadata().getName().startsWith(prefix)
            || map.getMetadata().getName().endsWith(prefix))
        .findFirst().orElseThrow();
  }

  /** The entry names of a bundle, downloaded with the secret the submission put in the init Secret. */
  private List<String> bundleEntries(TestServer staging, String idKey, String secretKey) throws Exception {
    String properties = configMap("-init-config").getData().get("download-submitted-files");
    String id =
        properties.lines().filter(line -> line.startsWith("spark.kubernetes.initcontainer." + idKey + "=")).findFirst().orElseThrow()
            .split("=", 2)[1];
    Secret secret = client.secrets().inNamespace(NAMESPACE).list().getItems().get(0);
    String value = new String(Base64.getDecoder().decode(secret.getData().get(secretKey)), StandardCharsets.UTF_8);
    HttpResponse<InputStream> bundle =
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(staging.baseUri() + "/api/v1/bundles/" + id))
            .header("Authorization", "Bearer " + value).build(), HttpResponse.BodyHandlers.ofInputStream());
    var names = new ArrayList<String>();
    try (var tar = new TarArchiveInputStream(bundle.body())) {
      for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        names.add(entry.getName());
      }
    }
    return names;
  }

  @Test
  void aPythonApplicationWithPyFilesFilesAndArchivesIsStagedAndRunByPythonRunner() throws Exception {
    environment.put("PYSPARK_PYTHON", "/usr/bin/python3");
    try (var staging = TestServer.start(dataDir)) {
      Submitter.Run run = submit(staging.baseUri(), "--py-files", path("helper.py"), "--files", path("data one.txt"),
          "--archives", path("env.tar.gz") + "#environment", "--conf", "spark.pyspark.driver.python=./environment/bin/python",
          path("job.py"), "--day", "2026-11-29");

      assertThat(run.code()).as(run.err()).isZero();
      Container driver = client.pods().inNamespace(NAMESPACE).list().getItems().get(0).getSpec().getContainers().get(0);
      assertThat(driver.getArgs()).containsExactly("driver", "--properties-file", "/opt/spark/conf/spark.properties", "--class",
          "org.apache.spark.deploy.PythonRunner", "local:///var/spark-data/spark-files/job.py", "--day", "2026-11-29");
      assertThat(driver.getEnv()).filteredOn(env -> env.getName().startsWith("PYSPARK_"))
          .extracting(env -> env.getName() + "=" + env.getValue())
          .containsExactly("PYSPARK_PYTHON=/usr/bin/python3", "PYSPARK_DRIVER_PYTHON=./environment/bin/python");
      assertThat(configMap("spark-drv-").getData().get("spark.properties").lines()).contains(
          "spark.kubernetes.resource.type=python",
          "spark.submit.pyFiles=local\\:///var/spark-data/spark-files/helper.py",
          "spark.files=local\\:///var/spark-data/spark-files/data%20one.txt",
          "spark.archives=local\\:///var/spark-data/spark-files/env.tar.gz\\#environment",
          "spark.plugins=io.sparkstaging.spark.StagedFilesPlugin");
      assertThat(configMap("-init-config").getData().get("download-submitted-files"))
          .contains("spark.kubernetes.initcontainer.unpackArchives=env.tar.gz\\#environment");
      assertThat(bundleEntries(staging, "downloadFilesResourceIdentifier", "downloadSubmittedFilesSecret"))
          .containsExactly("job.py", "data one.txt", "helper.py", "env.tar.gz");
      assertThat(bundleEntries(staging, "downloadJarsResourceIdentifier", "downloadSubmittedJarsSecret"))
          .containsExactly("spark-staging-plugin.jar");
    }
  }

  @Test
  void packagesAreResolvedHereStagedAsJarsAndNotResolvedAgainInTheDriver() throws Exception {
    Path repository = Files.createDirectories(work.resolve("repo/org/example/tool/1.0"));
    Files.writeString(repository.resolve("tool-1.0.pom"),
        "<project><modelVersion>4.0.0</modelVersion><groupId>org.example</groupId><artifactId>tool</artifactId><version>1.0</version></project>");
    Files.writeString(repository.resolve("tool-1.0.jar"), "tool");
    try (var staging = TestServer.start(dataDir)) {
      Submitter.Run run = submit(staging.baseUri(), "--class", "org.example.Main", "--packages", "org.example:tool:1.0",
          "--repositories", work.resolve("repo").toUri().toString(), "--conf", "spark.jars.ivy=" + work.resolve("ivy"), path("app.jar"));

      assertThat(run.code()).as(run.err()).isZero();
      String properties = configMap("spark-drv-").getData().get("spark.properties");
      assertThat(properties).doesNotContain("spark.jars.packages", "spark.jars.repositories", "spark.jars.ivy")
          .contains("local\\:///var/spark-data/spark-jars/tool-1.0.jar");
      assertThat(bundleEntries(staging, "downloadJarsResourceIdentifier", "downloadSubmittedJarsSecret")).containsExactly("app.jar",
          "tool-1.0.jar");
      assertThat(run.out()).doesNotContain("resolving").doesNotContain(":: ");
    }
  }

  @Test
  void theSparkConfDirGivesDefaultsAndShipsItsOtherFilesToTheDriver() throws Exception {
    Path conf = Files.createDirectories(work.resolve("conf"));
    Files.writeString(conf.resolve("spark-defaults.conf"), "spark.executor.instances 4\n");
    Files.writeString(conf.resolve("log4j2.properties"), "rootLogger.level = warn\n");
    environment.put("SPARK_CONF_DIR", conf.toString());
    try (var staging = TestServer.start(dataDir)) {
      Submitter.Run run = submit(staging.baseUri(), "--class", "org.example.Main", path("app.jar"));

      assertThat(run.code()).as(run.err()).isZero();
      ConfigMap driverConf = configMap("spark-drv-");
      assertThat(driverConf.getData()).containsEntry("log4j2.properties", "rootLogger.level = warn\n")
          .doesNotContainKey("spark-defaults.conf");
      assertThat(driverConf.getData().get("spark.properties")).contains("spark.executor.instances=4");
    }
  }

  static Stream<Arguments> badInput() {
    return Stream.of(
        Arguments.of("a local file that does not exist", List.of("--files", "WORK/missing.txt", "--class", "x.Main", "WORK/app.jar"),
            "--files WORK/missing.txt: no such file"),
        Arguments.of("an R application", List.of("WORK/analysis.R"), "R applications are not supported"),
        Arguments.of("two archives with one alias", List.of("--archives", "WORK/env.tar.gz#env,WORK/helper.py#env", "WORK/job.py"),
            "also named 'env'"),
        Arguments.of("a package that does not resolve",
            List.of("--packages", "org.example.none:nothing:1.0", "--class", "x.Main", "WORK/app.jar"),
            "--packages org.example.none:nothing:1.0 did not resolve"),
        Arguments.of("client mode", List.of("--deploy-mode", "client", "--class", "x.Main", "WORK/app.jar"), "cluster mode only"),
        Arguments.of("--supervise", List.of("--supervise", "--class", "x.Main", "WORK/app.jar"),
            "--supervise: Kubernetes restarts nothing"),
        Arguments.of("--total-executor-cores", List.of("--total-executor-cores", "8", "--class", "x.Main", "WORK/app.jar"),
            "Spark standalone"),
        Arguments.of("--class for a Python app", List.of("--class", "x.Main", "WORK/job.py"), "--class is for Java applications"),
        Arguments.of("a key Spark's client applies and this one does not",
            List.of("--conf", "spark.kubernetes.kerberos.krb5.path=/etc/krb5.conf",
                "--class", "x.Main", "WORK/app.jar"),
            "spark.kubernetes.kerberos.krb5.path is not supported"),
        Arguments.of("a volume without its mount path",
            List.of("--conf", "spark.kubernetes.driver.volumes.emptyDir.scratch.options.medium=Memory",
                "--class", "x.Main", "WORK/app.jar"),
            "spark.kubernetes.driver.volumes.emptyDir.scratch.mount.path is required"),
        Arguments.of("an init-container size that is no quantity", List.of("--conf", "spark.kubernetes.initcontainer.memory=lots",
            "--class", "x.Main", "WORK/app.jar"), "spark.kubernetes.initcontainer.memory=lots is not a Kubernetes quantity"),
        Arguments.of("a pod template that does not parse", List.of("--conf", "spark.kubernetes.driver.podTemplateFile=WORK/broken.yaml",
            "--class", "x.Main", "WORK/app.jar"), "spark.kubernetes.driver.podTemplateFile=WORK/broken.yaml: not a pod template"),
        Arguments.of("a pod template that is not a Pod", List.of("--conf", "spark.kubernetes.executor.podTemplateFile=WORK/deployment.yaml",
            "--class", "x.Main", "WORK/app.jar"), "a pod template must be a Pod, this is Deployment"),
        Arguments.of("a pod template without the named container",
            List.of("--conf", "spark.kubernetes.driver.podTemplateFile=WORK/driver.yaml",
                "--conf", "spark.kubernetes.driver.podTemplateContainerName=spark", "--class", "x.Main", "WORK/app.jar"),
            "it has no container named 'spark'"),
        Arguments.of("a report interval that is no time", List.of("--conf", "spark.kubernetes.report.interval=soon",
            "--class", "x.Main", "WORK/app.jar"), "spark.kubernetes.report.interval=soon"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInput")
  void badInputIsOneClearLineExitCode2AndNothingStagedOrCreated(String what, List<String> args, String message) throws Exception {
    try (var staging = TestServer.start(dataDir)) {
      Submitter.Run run = submit(staging.baseUri(), args.stream().map(arg -> arg.replace("WORK", work.toString())).toArray(String[]::new));

      assertThat(run.code()).as(run.err()).isEqualTo(SubmitClientMain.USAGE);
      List<String> ours = run.err().lines().filter(line -> line.startsWith("submit-client: ")).toList();
      assertThat(ours).hasSize(1);
      assertThat(ours.get(0)).contains(message.replace("WORK", work.toString()));
      assertThat(client.pods().inNamespace(NAMESPACE).list().getItems()).isEmpty();
      assertThat(staging.store().list()).isEmpty();
    }
  }

  @Test
  void theUsersPodTemplatesAreMergedIntoTheDriverAndTheExecutorTemplate() throws Exception {
    try (var staging = TestServer.start(dataDir)) {
      Submitter.Run run = submit(staging.baseUri(), "--class", "x.Main", "--files", path("data one.txt"),
          "--conf", "spark.kubernetes.driver.podTemplateFile=" + path("driver.yaml"), "--conf",
          "spark.kubernetes.driver.podTemplateContainerName=main",
          "--conf", "spark.kubernetes.executor.podTemplateFile=" + path("driver.yaml"), "--conf",
          "spark.kubernetes.executor.podTemplateContainerName=main",
          path("app.jar"));

      assertThat(run.code()).as(run.err()).isZero();
      var driver = client.pods().inNamespace(NAMESPACE).list().getItems().get(0);
      assertThat(driver.getSpec().getTolerations()).extracting(t -> t.getKey()).containsExactly("spark");
      assertThat(driver.getMetadata().getLabels()).containsEntry("team", "data");
      assertThat(driver.getSpec().getContainers()).extracting(c -> c.getName()).containsExactly("log-shipper", "main");
      assertThat(driver.getSpec().getInitContainers()).extracting(c -> c.getName()).containsExactly("spark-init");
      String template = configMap("-driver-podspec-conf-map").getData().get("podspec-configmap-key");
      assertThat(template).contains("key: \"spark\"").contains("name: \"log-shipper\"").contains("name: \"spark-init\"");
      assertThat(configMap("spark-drv-").getData().get("spark.properties"))
          .contains("spark.kubernetes.executor.podTemplateContainerName=main");
    }
  }

  @Test
  void anOnDemandClaimIsCreatedWithTheDriverAndOwnedByIt() throws Exception {
    String volume = "spark.kubernetes.driver.volumes.persistentVolumeClaim.data.";
    try (var staging = TestServer.start(dataDir)) {
      Submitter.Run run = submit(staging.baseUri(), "--class", "x.Main", "--conf", volume + "mount.path=/data",
          "--conf", volume + "options.claimName=OnDemand", "--conf", volume + "options.storageClass=fast", "--conf",
          volume + "options.sizeLimit=1Gi",
          path("app.jar"));

      assertThat(run.code()).as(run.err()).isZero();
      var driver = client.pods().inNamespace(NAMESPACE).list().getItems().get(0);
      var claims = client.persistentVolumeClaims().inNamespace(NAMESPACE).list().getItems();
      assertThat(claims).singleElement().satisfies(claim -> {
        assertThat(claim.getMetadata().getOwnerReferences().get(0).getUid()).isEqualTo(driver.getMetadata().getUid());
        assertThat(claim.getMetadata().getName()).isEqualTo(driver.getSpec().getVolumes().stream()
            .filter(v -> v.getName().equals("data")).findFirst().orElseThrow().getPersistentVolumeClaim().getClaimName());
      });
    }
  }

  @Test
  void waitAppCompletionFalseReturnsOnceTheDriverIsCreated() throws Exception {
    try (var staging = TestServer.start(dataDir)) {
      var args = new ArrayList<>(List.of("submit", "--master", "k8s://" + client.getConfiguration().getMasterUrl(),
          "--conf", "spark.kubernetes.namespace=" + NAMESPACE, "--conf", "spark.kubernetes.submission.waitAppCompletion=false",
          "--image", "apache/spark:4.0.1", "--staging-server", staging.baseUri(), "--class", "x.Main", "local:///opt/app.jar"));

      Submitter.Run run = new Submitter(environment).run(args.toArray(String[]::new));

      assertThat(run.code()).as(run.err()).isZero();
      assertThat(run.out()).contains("submitted ").doesNotContain("finished with exit code");
    }
  }

  @Test
  void statusAndKillTakeNamespaceAndAGlobOfDriverPods() {
    for (String name : List.of("word-count-1-driver", "word-count-2-driver", "pi-3-driver")) {
      client.pods().inNamespace(NAMESPACE).resource(new PodBuilder().withNewMetadata().withName(name).addToLabels("spark-role", "driver")
          .endMetadata().withNewSpec().addNewContainer().withName("spark-kubernetes-driver").withImage("x").endContainer().endSpec()
          .build()).create();
    }

    Submitter.Run status = submit("http://127.0.0.1:1", "--status", NAMESPACE + ":word-count-*");
    Submitter.Run kill = submit("http://127.0.0.1:1", "--kill", "word-count-1*");
    Submitter.Run none = submit("http://127.0.0.1:1", "--kill", NAMESPACE + ":nothing-*");

    assertThat(status.code()).as(status.err()).isZero();
    assertThat(status.out()).contains("pod name: word-count-1-driver", "pod name: word-count-2-driver").doesNotContain("pi-3-driver");
    assertThat(kill.code()).as(kill.err()).isZero();
    assertThat(client.pods().inNamespace(NAMESPACE).list().getItems()).extracting(pod -> pod.getMetadata().getName())
        .containsExactlyInAnyOrder("word-count-2-driver", "pi-3-driver");
    assertThat(none.code()).isEqualTo(AppCommands.NOT_FOUND);
  }

  @Test
  void verbosePrintsTheDriversPropertiesWithSecretsRedacted() {
    Submitter.Run run = submit("http://127.0.0.1:1", "--dry-run", "--verbose", "--class", "x.Main",
        "--conf", "spark.ssl.kubernetes.resourceStagingServer.trustStorePassword=hunter2", path("app.jar"));

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.err()).contains("(spark.kubernetes.resource.type,java)")
        .contains("(spark.ssl.kubernetes.resourceStagingServer.trustStorePassword,*********(redacted))").doesNotContain("hunter2");
  }

  @Test
  void everyOptionOfEveryCommandIsDescribed() {
    var commands = Commands.commandLine(Map.of());

    for (var command : commands.getSubcommands().values()) {
      assertThat(command.getCommandSpec().options()).allSatisfy(option -> assertThat(String.join(" ", option.description()))
          .as(command.getCommandName() + " " + option.longestName()).isNotBlank());
      assertThat(command.getCommandSpec().positionalParameters())
          .allSatisfy(parameter -> assertThat(String.join(" ", parameter.description()))
              .as(command.getCommandName() + " " + parameter.paramLabel()).isNotBlank());
    }
    assertThat(commands.getSubcommands().get("submit").getUsageMessage())
        .contains("Dependencies:", "--py-files", "--archives", "--packages", "Other actions:", "--status");
  }
}
