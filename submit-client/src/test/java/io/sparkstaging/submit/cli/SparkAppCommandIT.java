package io.sparkstaging.submit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.sparkstaging.server.store.BundleRecord;
import io.sparkstaging.server.support.TestServer;
import io.sparkstaging.submit.SubmitClientMain;
import io.sparkstaging.submit.frontend.StockSparkSubmit;
import io.sparkstaging.submit.operator.OperatorSchemas;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spark-staging sparkapp} with a real staging server and, for {@code --create}, fabric8's
 * mock API server in CRUD mode; what it writes is checked against each operator's published schema.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class SparkAppCommandIT {
  private static final String NAMESPACE = "spark-jobs";
  private static final ResourceDefinitionContext KUBEFLOW = new ResourceDefinitionContext.Builder().withGroup("sparkoperator.k8s.io")
      .withVersion("v1beta2").withKind("SparkApplication").withPlural("sparkapplications").withNamespaced(true).build();
  private static final ResourceDefinitionContext APACHE = new ResourceDefinitionContext.Builder().withGroup("spark.apache.org")
      .withVersion("v1").withKind("SparkApplication").withPlural("sparkapplications").withNamespaced(true).build();

  KubernetesClient client;
  KubernetesMockServer server;

  @TempDir
  Path work;
  @TempDir
  Path dataDir;

  @BeforeEach
  void localFiles() throws Exception {
    Files.writeString(work.resolve("app.jar"), "jar");
    Files.writeString(work.resolve("lib.jar"), "lib");
    Files.writeString(work.resolve("words.txt"), "words");
    Files.writeString(work.resolve("pi.py"), "print(1)");
  }

  private Path kubeflowManifest() throws Exception {
    return Files.writeString(work.resolve("word-count.yaml"), """
        apiVersion: sparkoperator.k8s.io/v1beta2
        kind: SparkApplication
        metadata: {name: word-count, namespace: spark-jobs}
        spec:
          type: Java
          mode: cluster
          sparkVersion: 3.5.6
          image: apache/spark:3.5.6
          mainClass: org.example.WordCount
          mainApplicationFile: %s
          arguments: [words.txt]
          deps:
            jars: [%s, "local:///opt/extra.jar"]
            files: [%s]
          driver:
            cores: 1
            memory: 512m
            serviceAccount: spark
            template:
              spec:
                tolerations: [{key: spark, operator: Exists}]
                containers: [{name: spark-kubernetes-driver}, {name: sidecar, image: busybox}]
          executor: {instances: 1, cores: 1, memory: 512m}
        """.formatted(work.resolve("app.jar"), work.resolve("lib.jar"), work.resolve("words.txt")));
  }

  private Path apachePythonManifest() throws Exception {
    return Files.writeString(work.resolve("pi.yaml"), """
        apiVersion: spark.apache.org/v1
        kind: SparkApplication
        metadata: {name: pi}
        spec:
          pyFiles: "%s"
          sparkConf:
            spark.files: "%s"
            spark.kubernetes.container.image: "apache/spark:{{SPARK_VERSION}}-python3"
          runtimeVersions: {sparkVersion: 4.0.1}
        """.formatted(work.resolve("pi.py"), work.resolve("words.txt")));
  }

  private Submitter.Run sparkapp(String staging, String... args) {
    var all = new ArrayList<>(List.of("sparkapp", "--master", "k8s://" + client.getConfiguration().getMasterUrl(),
        "--conf", "spark.kubernetes.resourceStagingServer.uri=" + staging,
        "--conf", "spark.kubernetes.initcontainer.docker.image=registry.example.com/spark-staging-init:0.1.0"));
    all.addAll(List.of(args));
    return new Submitter(Map.of()).run(all.toArray(String[]::new));
  }

  private static List<JsonNode> documents(String yaml) throws Exception {
    var mapper = new YAMLMapper();
    try (var parser = mapper.createParser(yaml)) {
      return mapper.readValues(parser, JsonNode.class).readAll();
    }
  }

  @Test
  void writesTheInitContainersObjectsAndTheKubeflowApplicationRewrittenValidAgainstTheOperatorsSchema() throws Exception {
    try (var staging = TestServer.start(dataDir)) {
      Submitter.Run run = sparkapp(staging.baseUri(), kubeflowManifest().toString());

      assertThat(run.code()).as(run.err()).isZero();
      List<JsonNode> documents = documents(run.out());
      assertThat(documents).extracting(document -> document.path("kind").asText()).containsExactly("Secret", "ConfigMap",
          "SparkApplication");
      JsonNode app = documents.get(2);
      assertThat(OperatorSchemas.kubeflowErrors(app)).isEmpty();
      JsonNode spec = app.path("spec");
      assertThat(spec.path("mainApplicationFile").asText()).isEqualTo("local:///var/spark-data/spark-jars/app.jar");
      assertThat(spec.path("deps").path("files").get(0).asText()).isEqualTo("local:///var/spark-data/spark-files/words.txt");
      JsonNode driver = spec.path("driver").path("template");
      assertThat(driver.path("spec").path("initContainers").get(0).path("name").asText()).isEqualTo("spark-init");
      assertThat(driver.path("spec").path("tolerations").get(0).path("key").asText()).isEqualTo("spark");
      assertThat(driver.path("spec").path("containers")).extracting(c -> c.path("name").asText())
          .containsExactly("spark-kubernetes-driver", "sidecar");
      assertThat(spec.path("executor").path("template").path("spec").path("initContainers").get(0).path("name").asText())
          .isEqualTo("spark-init");

      // The bundles belong to the pods that carry the driver template's label; the Secret holds their secrets.
      String submission = driver.path("metadata").path("labels").path(StockSparkSubmit.SUBMISSION_LABEL).asText();
      assertThat(submission).isNotEmpty();
      assertThat(staging.store().list()).hasSize(2).allSatisfy((BundleRecord bundle) -> {
        assertThat(bundle.owner().ownerNamespace()).isEqualTo(NAMESPACE);
        assertThat(bundle.owner().ownerLabels()).containsEntry(StockSparkSubmit.SUBMISSION_LABEL, submission);
      });
      JsonNode secret = documents.get(0);
      assertThat(secret.path("metadata").path("namespace").asText()).isEqualTo(NAMESPACE);
      String jarsSecret = new String(Base64.getDecoder().decode(secret.path("data").path("downloadSubmittedJarsSecret").asText()),
          StandardCharsets.UTF_8);
      assertThat(staging.store().list()).anySatisfy(bundle -> assertThat(bundle.secretDigest().matches(jarsSecret)).isTrue());
      assertThat(documents.get(1).path("data").path("download-submitted-files").asText()).contains("downloadJarsResourceIdentifier");
    }
  }

  @Test
  void createsAnApachePythonApplicationThatOwnsTheInitContainersObjects() throws Exception {
    try (var staging = TestServer.start(dataDir)) {
      Submitter.Run run = sparkapp(staging.baseUri(), "--create", "-n", NAMESPACE, apachePythonManifest().toString());

      assertThat(run.code()).as(run.err()).isZero();
      assertThat(run.out()).contains("sparkapplication/pi created in namespace " + NAMESPACE);
      GenericKubernetesResource app = client.genericKubernetesResources(APACHE).inNamespace(NAMESPACE).withName("pi").get();
      JsonNode tree = new ObjectMapper().valueToTree(app);
      assertThat(OperatorSchemas.apacheErrors(tree)).isEmpty();
      assertThat(tree.path("spec").path("pyFiles").asText()).isEqualTo("local:///var/spark-data/spark-files/pi.py");
      assertThat(tree.path("spec").path("sparkConf").path("spark.files").asText())
          .isEqualTo("local:///var/spark-data/spark-files/words.txt");
      assertThat(tree.path("spec").path("sparkConf").path("spark.kubernetes.container.image").asText())
          .isEqualTo("apache/spark:{{SPARK_VERSION}}-python3");
      Secret secret = client.secrets().inNamespace(NAMESPACE).list().getItems().get(0);
      ConfigMap config = client.configMaps().inNamespace(NAMESPACE).list().getItems().get(0);
      for (var owned : List.of(secret.getMetadata(), config.getMetadata())) {
        assertThat(owned.getOwnerReferences()).singleElement().satisfies(owner -> {
          assertThat(owner.getKind()).isEqualTo("SparkApplication");
          assertThat(owner.getApiVersion()).isEqualTo("spark.apache.org/v1");
          assertThat(owner.getUid()).isEqualTo(app.getMetadata().getUid());
        });
      }
      assertThat(staging.store().list()).hasSize(2);
    }
  }

  @Test
  void whenTheApiServerRefusesTheApplicationNothingMadeForItIsLeft() throws Exception {
    server.expect().post().withPath("/apis/sparkoperator.k8s.io/v1beta2/namespaces/" + NAMESPACE + "/sparkapplications")
        .andReturn(404, "404 page not found").once();
    try (var staging = TestServer.start(dataDir)) {
      Submitter.Run run = sparkapp(staging.baseUri(), "--create", kubeflowManifest().toString());

      assertThat(run.code()).isEqualTo(SubmitClientMain.SUBMIT_FAILED);
      assertThat(run.err()).contains("CRD of sparkoperator.k8s.io/v1beta2").contains("everything created was deleted");
      assertThat(client.secrets().inNamespace(NAMESPACE).list().getItems()).isEmpty();
      assertThat(client.configMaps().inNamespace(NAMESPACE).list().getItems()).isEmpty();
      assertThat(client.genericKubernetesResources(KUBEFLOW).inNamespace(NAMESPACE).list().getItems()).isEmpty();
      assertThat(staging.store().list()).isEmpty();
    }
  }

  @Test
  void readsTheManifestFromStandardInputAndWritesTheStreamToAFile() throws Exception {
    try (var staging = TestServer.start(dataDir)) {
      var in = System.in;
      Path out = work.resolve("out.yaml");
      Submitter.Run run;
      try {
        System.setIn(Files.newInputStream(kubeflowManifest()));
        run = sparkapp(staging.baseUri(), "-o", out.toString(), "-");
      } finally {
        System.setIn(in);
      }

      assertThat(run.code()).as(run.err()).isZero();
      assertThat(run.out()).isEmpty();
      assertThat(documents(Files.readString(out))).hasSize(3);
    }
  }

  @Test
  void badInputIsRefusedInOneLineWithNothingStaged() throws Exception {
    try (var staging = TestServer.start(dataDir)) {
      Path nothingLocal = Files.writeString(work.resolve("remote.yaml"), Files.readString(kubeflowManifest())
          .replace(work.resolve("app.jar").toString(), "local:///opt/app.jar")
          .replace(work.resolve("lib.jar").toString(), "local:///opt/lib.jar")
          .replace(work.resolve("words.txt").toString(), "local:///opt/words.txt"));
      Path missing = Files.writeString(work.resolve("missing.yaml"), Files.readString(kubeflowManifest())
          .replace(work.resolve("lib.jar").toString(), work.resolve("gone.jar").toString()));

      Path clash = Files.writeString(work.resolve("clash.yaml"), Files.readString(kubeflowManifest())
          .replace("tolerations: [{key: spark, operator: Exists}]", "volumes: [{name: download-files, emptyDir: {}}]"));

      for (var args : List.of(List.of(nothingLocal.toString()), List.of(clash.toString()), List.of(missing.toString()),
          List.of("-n", "other", kubeflowManifest().toString()),
          List.of("--create", "-o", "x.yaml", kubeflowManifest().toString()), List.of(work.resolve("absent.yaml").toString()))) {
        Submitter.Run run = sparkapp(staging.baseUri(), args.toArray(String[]::new));

        assertThat(run.code()).as(args + ": " + run.err()).isEqualTo(SubmitClientMain.USAGE);
        assertThat(run.err().lines()).as(args.toString()).singleElement().asString().startsWith("submit-client: ");
        assertThat(run.out()).isEmpty();
      }
      assertThat(sparkapp(staging.baseUri(), clash.toString()).err()).contains("spec.driver.template: the pod already has a volume named");
      // The clash is found after staging; what was staged is gone again.
      assertThat(staging.store().list()).isEmpty();
    }
  }
}
