package io.sparkstaging.submit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.sparkstaging.server.support.TestServer;
import io.sparkstaging.submit.frontend.StockSparkSubmit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spark-staging spark-submit} in front of a stand-in spark-submit, a script that records its
 * arguments and the templates it was given, then waits for the test to let it exit with a code of
 * the test's choosing. The objects go to fabric8's mock API server (CRUD mode), the bundles to a
 * real staging server.
 */
@DisabledOnOs(OS.WINDOWS)
@EnableKubernetesMockClient(crud = true, https = false)
class SparkSubmitFrontEndIT {
  private static final String NAMESPACE = "spark-jobs";

  KubernetesClient client;

  @TempDir
  Path work;
  @TempDir
  Path dataDir;
  private Path fake;

  @BeforeEach
  void standIn() throws Exception {
    Files.writeString(work.resolve("app.jar"), "jar");
    Files.writeString(work.resolve("lib.jar"), "lib");
    Files.writeString(work.resolve("words.txt"), "words");
    fake = work.resolve("spark-submit");
    Files.writeString(fake, String.join("\n", "#!/bin/bash",
        "dir=$(dirname \"$0\")",
        "echo $$ > \"$dir/pid\"",
        "printf '%s\\n' \"$@\" > \"$dir/args.txt\"",
        "for arg in \"$@\"; do",
        "  case $arg in",
        "    spark.kubernetes.driver.podTemplateFile=*) cp \"${arg#*=}\" \"$dir/driver-template.yaml\" ;;",
        "    spark.kubernetes.executor.podTemplateFile=*) cp \"${arg#*=}\" \"$dir/executor-template.yaml\" ;;",
        "  esac",
        "done",
        "touch \"$dir/started\"",
        "for i in $(seq 300); do [ -f \"$dir/exit\" ] && exit $(cat \"$dir/exit\"); sleep 0.1; done",
        "exit 99", ""));
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
  }

  private CompletableFuture<Submitter.Run> submit(String staging, String... sparkSubmitArgs) {
    var args = new ArrayList<>(List.of("spark-submit", "--spark-submit", fake.toString()));
    args.addAll(List.of(sparkSubmitArgs));
    return CompletableFuture.supplyAsync(() -> new Submitter(Map.of()).run(args.toArray(String[]::new)));
  }

  private List<String> clusterArgs(String staging) {
    return List.of("--master", "k8s://" + client.getConfiguration().getMasterUrl(), "--deploy-mode", "cluster", "--name", "word count",
        "--class", "org.example.WordCount", "--conf", "spark.kubernetes.namespace=" + NAMESPACE,
        "--conf", "spark.kubernetes.container.image=apache/spark:3.5.6",
        "--conf", "spark.kubernetes.resourceStagingServer.uri=" + staging,
        "--conf", "spark.kubernetes.initcontainer.docker.image=registry.example.com/spark-staging-init:0.1.0",
        "--jars", work.resolve("lib.jar") + ",local:///opt/extra.jar", "--files", work.resolve("words.txt").toString());
  }

  private List<String> recordedArgs() throws Exception {
    await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(work.resolve("started")));
    return Files.readAllLines(work.resolve("args.txt"));
  }

  private void letItExit(int code) throws Exception {
    Files.writeString(work.resolve("exit"), String.valueOf(code));
  }

  @Test
  void stagesRewritesTheDependenciesAndHandsTheObjectsToTheDriverSparkSubmitCreates() throws Exception {
    try (var staging = TestServer.start(dataDir)) {
      var args = new ArrayList<>(clusterArgs(staging.baseUri()));
      args.addAll(List.of(work.resolve("app.jar").toString(), "in.txt"));
      CompletableFuture<Submitter.Run> running = submit(staging.baseUri(), args.toArray(String[]::new));

      List<String> recorded = recordedArgs();
      assertThat(recorded).doesNotContain("--jars", "--files").containsSubsequence("--class", "org.example.WordCount")
          .containsSubsequence("local:///var/spark-data/spark-jars/app.jar", "in.txt")
          .contains("spark.files=local:///var/spark-data/spark-files/words.txt", "spark.plugins=io.sparkstaging.spark.StagedFilesPlugin")
          // Found on real Spark: an empty spark.jars.ivySettings is read as a file that does not exist.
          .noneMatch(arg -> arg.startsWith("spark.jars.ivySettings="));
      assertThat(recorded).anyMatch(arg -> arg.startsWith("spark.jars=local:///var/spark-data/spark-jars/app.jar,")
          && arg.contains("spark-jars/lib.jar") && arg.contains("local:///opt/extra.jar"));
      Pod driverTemplate = new KubernetesSerialization().unmarshal(Files.readString(work.resolve("driver-template.yaml")), Pod.class);
      Pod executorTemplate = new KubernetesSerialization().unmarshal(Files.readString(work.resolve("executor-template.yaml")), Pod.class);
      assertThat(driverTemplate.getSpec().getInitContainers()).extracting(c -> c.getName()).containsExactly("spark-init");
      assertThat(executorTemplate.getSpec().getInitContainers()).extracting(c -> c.getName()).containsExactly("spark-init");
      assertThat(staging.store().list()).hasSize(2);

      // What spark-submit would do now: create the driver pod, with the label it was given.
      String submission =
          recorded.stream().filter(arg -> arg.startsWith("spark.kubernetes.driver.label." + StockSparkSubmit.SUBMISSION_LABEL + "="))
              .findFirst().orElseThrow().split("=", 2)[1];
      Pod driver = client.pods().inNamespace(NAMESPACE).resource(new PodBuilder().withNewMetadata().withName("word-count-driver")
          .addToLabels(StockSparkSubmit.SUBMISSION_LABEL, submission).addToLabels("spark-role", "driver").endMetadata()
          .withNewSpec().addNewContainer().withName("spark-kubernetes-driver").withImage("x").endContainer().endSpec().build()).create();
      await().atMost(Duration.ofSeconds(30)).until(() -> client.configMaps().inNamespace(NAMESPACE).list().getItems().stream()
          .allMatch(map -> !map.getMetadata().getOwnerReferences().isEmpty()));
      letItExit(0);

      Submitter.Run run = running.get(60, TimeUnit.SECONDS);
      assertThat(run.code()).as(run.err()).isZero();
      assertThat(client.secrets().inNamespace(NAMESPACE).list().getItems()).singleElement().satisfies(
          secret -> assertThat(secret.getMetadata().getOwnerReferences().get(0).getUid()).isEqualTo(driver.getMetadata().getUid()));
      ConfigMap init = client.configMaps().inNamespace(NAMESPACE).list().getItems().get(0);
      assertThat(init.getMetadata().getOwnerReferences().get(0).getName()).isEqualTo("word-count-driver");
      assertThat(staging.store().list()).hasSize(2);
    }
  }

  @Test
  void whenSparkSubmitFailsBeforeCreatingTheDriverEverythingStagedIsRemovedAndItsExitCodeReturned() throws Exception {
    try (var staging = TestServer.start(dataDir)) {
      var args = new ArrayList<>(clusterArgs(staging.baseUri()));
      args.add(work.resolve("app.jar").toString());
      CompletableFuture<Submitter.Run> running = submit(staging.baseUri(), args.toArray(String[]::new));
      recordedArgs();
      assertThat(client.secrets().inNamespace(NAMESPACE).list().getItems()).hasSize(1);

      letItExit(3);

      Submitter.Run run = running.get(60, TimeUnit.SECONDS);
      assertThat(run.code()).isEqualTo(3);
      assertThat(client.secrets().inNamespace(NAMESPACE).list().getItems()).isEmpty();
      assertThat(client.configMaps().inNamespace(NAMESPACE).list().getItems()).isEmpty();
      assertThat(staging.store().list()).isEmpty();
    }
  }

  @Test
  void killedBeforeSparkSubmitCreatedTheDriverItStopsSparkSubmitAndRemovesWhatItMade() throws Exception {
    try (var staging = TestServer.start(dataDir)) {
      var command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar",
          Path.of(System.getProperty("release.dir"), "lib", "submit-client.jar").toString(), "spark-submit", "--spark-submit",
          fake.toString()));
      command.addAll(clusterArgs(staging.baseUri()));
      command.add(work.resolve("app.jar").toString());
      Process wrapper = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(work.resolve("wrapper.log").toFile()).start();
      recordedArgs();
      assertThat(client.secrets().inNamespace(NAMESPACE).list().getItems()).hasSize(1);
      long sparkSubmitPid = Long.parseLong(Files.readString(work.resolve("pid")).strip());

      wrapper.destroy();

      assertThat(wrapper.waitFor(60, TimeUnit.SECONDS)).as(Files.readString(work.resolve("wrapper.log"))).isTrue();
      await().atMost(Duration.ofSeconds(10))
          .until(() -> ProcessHandle.of(sparkSubmitPid).map(ProcessHandle::isAlive).orElse(false) == false);
      assertThat(client.secrets().inNamespace(NAMESPACE).list().getItems()).isEmpty();
      assertThat(client.configMaps().inNamespace(NAMESPACE).list().getItems()).isEmpty();
      assertThat(staging.store().list()).isEmpty();
    }
  }

  @Test
  void aCommandLineWithNothingToStageOrForAnotherModeRunsUnchanged() throws Exception {
    List<String> clientMode = List.of("--master", "k8s://https://127.0.0.1:1", "--deploy-mode", "client", "--class", "x.Main",
        work.resolve("app.jar").toString(), "a", "--b");
    CompletableFuture<Submitter.Run> running = submit("http://127.0.0.1:1", clientMode.toArray(String[]::new));

    assertThat(recordedArgs()).isEqualTo(clientMode);
    letItExit(0);
    assertThat(running.get(60, TimeUnit.SECONDS).code()).isZero();
  }
}
