package io.sparkstaging.submit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.sparkstaging.server.config.UploadAuthConfig;
import io.sparkstaging.server.support.Bundles;
import io.sparkstaging.server.support.TestServer;
import io.sparkstaging.submit.SubmitClientMain;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code submit-client submit} against fabric8's mock API server (CRUD mode) and a real staging server. */
@EnableKubernetesMockClient(crud = true, https = false)
class SubmitCommandIT {
  private static final String NAMESPACE = "spark-jobs";

  KubernetesMockServer server;
  KubernetesClient client;

  @TempDir
  Path dataDir;
  @TempDir
  Path work;
  private Path appJar;
  private Path libJar;
  private Path wordsFile;

  private final Submitter submitter = new Submitter(Map.of());

  @BeforeEach
  void files() throws Exception {
    appJar = Files.writeString(work.resolve("app.jar"), "application");
    libJar = Files.writeString(work.resolve("lib.jar"), "library");
    wordsFile = Files.writeString(work.resolve("words.txt"), "to be or not to be");
  }

  private Submitter.Run submit(String stagingServer, String... extra) {
    var args = new ArrayList<>(List.of("--no-wait"));
    args.addAll(List.of(extra));
    return submitWaiting(stagingServer, args.toArray(String[]::new));
  }

  private Submitter.Run submitWaiting(String stagingServer, String... extra) {
    return submitWaiting(new ByteArrayOutputStream(), stagingServer, extra);
  }

  private Submitter.Run submitWaiting(ByteArrayOutputStream out, String stagingServer, String... extra) {
    return submitWaiting(out, new ByteArrayOutputStream(), stagingServer, extra);
  }

  /** @param out and {@code err} receive the command's stdout and stderr as it runs */
  private Submitter.Run submitWaiting(ByteArrayOutputStream out, ByteArrayOutputStream err, String stagingServer, String... extra) {
    var args = new ArrayList<>(List.of("submit", "--master", "k8s://" + client.getConfiguration().getMasterUrl(),
        "--conf", "spark.kubernetes.namespace=" + NAMESPACE, "--name", "Word Count", "--class", "org.example.WordCount",
        "--image", "apache/spark:3.5.6", "--init-image", "registry.example.com/spark-staging-init:0.1.0",
        "--staging-server", stagingServer, "--jars", libJar + ",https://repo.example.com/remote.jar", "--files", wordsFile.toString()));
    args.addAll(List.of(extra));
    args.addAll(List.of(appJar.toString(), "--input", "in.txt"));
    return submitter.run(out, err, args.toArray(String[]::new));
  }

  @Test
  void createsTheDriverAndItsObjectsOwnedByIt() throws Exception {
    try (var staging = TestServer.start(dataDir)) {
      Submitter.Run run = submit(staging.baseUri());

      assertThat(run.code()).as(run.err()).isZero();
      List<Pod> pods = client.pods().inNamespace(NAMESPACE).list().getItems();
      assertThat(pods).hasSize(1);
      Pod driver = pods.get(0);
      assertThat(driver.getMetadata().getLabels()).containsEntry("spark-role", "driver").containsKey("spark-app-selector");
      assertThat(driver.getSpec().getContainers().get(0).getArgs()).containsSubsequence("local:///var/spark-data/spark-jars/app.jar",
          "--input", "in.txt");
      assertThat(run.out()).contains("submitted " + driver.getMetadata().getLabels().get("spark-app-selector"));

      List<HasMetadata> owned = new ArrayList<>();
      owned.addAll(client.services().inNamespace(NAMESPACE).list().getItems());
      owned.addAll(client.configMaps().inNamespace(NAMESPACE).list().getItems());
      owned.addAll(client.secrets().inNamespace(NAMESPACE).list().getItems());
      assertThat(owned).extracting(HasMetadata::getKind).containsExactlyInAnyOrder("Service", "ConfigMap", "ConfigMap", "ConfigMap",
          "Secret");
      for (HasMetadata object : owned) {
        OwnerReference owner = object.getMetadata().getOwnerReferences().get(0);
        assertThat(owner.getName()).isEqualTo(driver.getMetadata().getName());
        assertThat(owner.getUid()).isEqualTo(driver.getMetadata().getUid());
        assertThat(owner.getController()).isTrue();
      }
      ConfigMap conf = client.configMaps().inNamespace(NAMESPACE).list().getItems().stream()
          .filter(map -> map.getMetadata().getName().startsWith("spark-drv-")).findFirst().orElseThrow();
      assertThat(conf.getData().get("spark.properties").lines()).contains(
          "spark.jars=local\\:///var/spark-data/spark-jars/app.jar,local\\:///var/spark-data/spark-jars/spark-staging-plugin.jar,"
              + "local\\:///var/spark-data/spark-jars/lib.jar,local\\:///var/spark-data/spark-jars/remote.jar",
          "spark.files=local\\:///var/spark-data/spark-files/words.txt");
      // Two bundles were staged, owned by the driver's labels.
      try (var bundles = Files.list(dataDir.resolve("bundles"))) {
        assertThat(bundles.count()).isEqualTo(2);
      }
    }
  }

  @Test
  void dryRunPrintsEveryObjectAndContactsNothing() {
    Submitter.Run run = submit("http://127.0.0.1:1", "--dry-run");

    assertThat(run.code()).as(run.err()).isZero();
    List<HasMetadata> objects = new ArrayList<>();
    for (String document : run.out().split("(?m)^---$")) {
      if (!document.isBlank()) {
        objects.add(new KubernetesSerialization().unmarshal(document, HasMetadata.class));
      }
    }
    assertThat(objects).extracting(HasMetadata::getKind).containsExactly("Pod", "Service", "Secret", "ConfigMap", "ConfigMap", "ConfigMap");
    assertThat(run.out()).contains("<jars bundle id>").contains("<set when the bundle is staged>").doesNotContain("bundle secret>");
    assertThat(client.pods().inNamespace(NAMESPACE).list().getItems()).isEmpty();
  }

  @Test
  void aRefusedObjectRollsBackEverythingIncludingTheStagedBundles() throws Exception {
    server.expect().post().withPath("/api/v1/namespaces/" + NAMESPACE + "/secrets")
        .andReturn(403, new StatusBuilder().withCode(403).withMessage("secrets is forbidden: quota exceeded").build()).once();
    try (var staging = TestServer.start(dataDir)) {
      Submitter.Run run = submit(staging.baseUri());

      assertThat(run.code()).isEqualTo(SubmitClientMain.SUBMIT_FAILED);
      assertThat(run.err().lines().limit(2)).allMatch(line -> line.startsWith("submit-client: staged "));
      assertThat(run.err().lines().skip(2).findFirst().orElse("")).startsWith("submit-client: submission failed: creating Secret ")
          .contains("HTTP 403").contains("quota exceeded");
      assertThat(client.pods().inNamespace(NAMESPACE).list().getItems()).isEmpty();
      assertThat(client.services().inNamespace(NAMESPACE).list().getItems()).isEmpty();
      assertThat(client.configMaps().inNamespace(NAMESPACE).list().getItems()).isEmpty();
      assertThat(Bundles.filesUnder(dataDir.resolve("bundles"))).isZero();
    }
  }

  @ParameterizedTest(name = "{0} with exit code {1}")
  @CsvSource({"Succeeded, 0", "Failed, 3"})
  void waitFollowsTheDriverAndExitsWithItsExitCode(String finalPhase, int exitCode) throws Exception {
    try (var staging = TestServer.start(dataDir)) {
      var out = new ByteArrayOutputStream();
      var err = new ByteArrayOutputStream();
      CompletableFuture<Submitter.Run> running = CompletableFuture.supplyAsync(() -> submitWaiting(out, err, staging.baseUri(),
          "--conf", "spark.kubernetes.report.interval=200ms"));
      Pod driver = awaitDriver();
      var pod = client.pods().inNamespace(NAMESPACE).withName(driver.getMetadata().getName());

      pod.editStatus(p -> new PodBuilder(p).withNewStatus().withPhase("Running").endStatus().build());
      awaitOutput(out, ": Running");
      // spark-submit's periodic status line, every report interval while nothing changes.
      awaitOutput(err, "(phase: Running)");
      pod.editStatus(p -> new PodBuilder(p).withNewStatus().withPhase(finalPhase)
          .addNewContainerStatus().withName("spark-kubernetes-driver").withNewState().withNewTerminated().withExitCode(exitCode)
          .endTerminated()
          .endState().endContainerStatus().endStatus().build());

      Submitter.Run run = running.get(60, TimeUnit.SECONDS);
      assertThat(run.code()).as(run.err()).isEqualTo(exitCode);
      assertThat(run.out()).contains(": Running").contains(": " + finalPhase + " (exit code " + exitCode + ")")
          .contains("finished with exit code " + exitCode);
      // spark-submit's own shapes, which wrappers such as Airflow's parse.
      assertThat(run.err()).contains("\n\t pod name: " + driver.getMetadata().getName() + "\n")
          .contains("\n\t\t exit code: " + exitCode + "\n").contains("Container final statuses:")
          .contains("Application status for " + driver.getMetadata().getLabels().get("spark-app-selector") + " (phase: Running)");
    }
  }

  private static void awaitOutput(ByteArrayOutputStream out, String text) {
    await().atMost(Duration.ofSeconds(30)).until(() -> out.toString(StandardCharsets.UTF_8).contains(text));
  }

  private Pod awaitDriver() {
    return await().atMost(Duration.ofSeconds(30))
        .until(() -> client.pods().inNamespace(NAMESPACE).list().getItems(), pods -> !pods.isEmpty()).get(0);
  }

  @Test
  void flagsBeatConfWhichBeatsThePropertiesFile() throws Exception {
    Path defaults = Files.writeString(work.resolve("spark-defaults.conf"),
        "spark.executor.instances 1\nspark.executor.memory 1g\nspark.eventLog.enabled true\n");

    Submitter.Run run = submit("http://127.0.0.1:1", "--dry-run", "--properties-file", defaults.toString(),
        "--conf", "spark.executor.instances=2", "--conf", "spark.executor.memory=3g", "--num-executors", "3");

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("spark.executor.instances=3").contains("spark.executor.memory=3g")
        .contains("spark.eventLog.enabled=true");
  }

  @Test
  void explicitSubmissionCredentialsAreSent() throws Exception {
    try (var staging = TestServer.start(dataDir)) {
      Submitter.Run run = submit(staging.baseUri(), "--conf", "spark.kubernetes.authenticate.submission.oauthToken=token-from-conf");

      assertThat(run.code()).as(run.err()).isZero();
      assertThat(server.getLastRequest().getHeader("Authorization")).isEqualTo("Bearer token-from-conf");
    }
  }

  /** Answers the staging server's TokenReview and SubjectAccessReview: kube-token is alice, who may create pods in spark-jobs. */
  private void apiServerReviewsUploadTokens() {
    var json = new KubernetesSerialization();
    server.expect().post().withPath("/apis/authentication.k8s.io/v1/tokenreviews").andReply(201, request -> {
      TokenReview review = json.unmarshal(request.getBody().readUtf8(), TokenReview.class);
      boolean alice = "kube-token".equals(review.getSpec().getToken());
      return new TokenReviewBuilder(review).withNewStatus().withAuthenticated(alice).withNewUser().withUsername("alice").endUser()
          .endStatus().build();
    }).always();
    server.expect().post().withPath("/apis/authorization.k8s.io/v1/subjectaccessreviews").andReply(201, request -> {
      SubjectAccessReview review = json.unmarshal(request.getBody().readUtf8(), SubjectAccessReview.class);
      return new SubjectAccessReviewBuilder(review).withNewStatus()
          .withAllowed(NAMESPACE.equals(review.getSpec().getResourceAttributes().getNamespace())).endStatus().build();
    }).always();
  }

  private TestServer stagingWithKubernetesUploadAuth() throws Exception {
    return TestServer.start(dataDir, settings -> {
      settings.kubernetesMaster = client.getConfiguration().getMasterUrl();
      settings.uploadAuth = new UploadAuthConfig(UploadAuthConfig.Mode.kubernetes, Optional.empty(), Optional.empty());
    });
  }

  @Test
  void aServerThatWantsTheKubernetesTokenGetsItWithoutBeingAsked() throws Exception {
    apiServerReviewsUploadTokens();
    try (var staging = stagingWithKubernetesUploadAuth()) {
      Submitter.Run run = submit(staging.baseUri(), "--conf", "spark.kubernetes.authenticate.submission.oauthToken=kube-token");

      assertThat(run.code()).as(run.err()).isZero();
      assertThat(staging.store().list()).hasSize(2);
    }
  }

  @Test
  void theKubernetesTokenCanBeSentUpFront() throws Exception {
    apiServerReviewsUploadTokens();
    try (var staging = stagingWithKubernetesUploadAuth()) {
      Submitter.Run run = submit(staging.baseUri(), "--conf", "spark.kubernetes.authenticate.submission.oauthToken=kube-token",
          "--upload-kubernetes-token");

      assertThat(run.code()).as(run.err()).isZero();
    }
  }

  @Test
  void aKubernetesTokenTheServerRefusesStopsTheSubmission() throws Exception {
    apiServerReviewsUploadTokens();
    try (var staging = stagingWithKubernetesUploadAuth()) {
      Submitter.Run run = submit(staging.baseUri(), "--conf", "spark.kubernetes.authenticate.submission.oauthToken=someone-else");

      assertThat(run.code()).isEqualTo(SubmitClientMain.STAGING_FAILED);
      assertThat(run.err()).contains("HTTP 401").doesNotContain("someone-else");
      assertThat(client.pods().inNamespace(NAMESPACE).list().getItems()).isEmpty();
    }
  }

  @Test
  void aPodTemplateThatIsNotThereIsNamed() {
    Submitter.Run run = submit("http://127.0.0.1:1", "--conf", "spark.kubernetes.executor.podTemplateFile=/nowhere/t.yml");

    assertThat(run.code()).isEqualTo(SubmitClientMain.USAGE);
    assertThat(run.err()).contains("spark.kubernetes.executor.podTemplateFile=/nowhere/t.yml: no such file on this machine");
  }

  @Test
  void anUnreachableStagingServerCreatesNothing() {
    Submitter.Run run = submit("http://127.0.0.1:1");

    assertThat(run.code()).isEqualTo(SubmitClientMain.STAGING_FAILED);
    assertThat(client.pods().inNamespace(NAMESPACE).list().getItems()).isEmpty();
  }
}
