package io.sparkstaging.submit.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.sparkstaging.common.config.ConfigException;
import io.sparkstaging.submit.driver.AppKind;
import io.sparkstaging.submit.pod.PodTemplate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SparkAppManifestTest {
  private static final String KUBEFLOW = """
      apiVersion: sparkoperator.k8s.io/v1beta2
      kind: SparkApplication
      metadata:
        name: word-count
        namespace: spark-jobs
        labels: {team: data}
      spec:
        type: Scala
        mode: cluster
        sparkVersion: 3.5.6
        image: apache/spark:3.5.6
        mainClass: org.example.WordCount
        mainApplicationFile: /home/me/app.jar
        arguments: [in.txt]
        restartPolicy: {type: Never}
        sparkConf:
          spark.jars: /ignored/because/deps.jars/wins.jar
          spark.eventLog.enabled: "true"
        hadoopConf: {fs.s3a.endpoint: "http://minio:9000"}
        deps:
          jars: [/home/me/lib.jar, "local:///opt/extra.jar"]
          files: [/home/me/words.txt]
          packages: ["org.example:thing:1.0"]
        driver:
          cores: 1
          memory: 1g
          serviceAccount: spark
          template:
            metadata: {annotations: {sidecar: "yes"}}
            spec:
              containers:
              - {name: log-shipper, image: fluent-bit}
              - {name: spark-kubernetes-driver}
        executor: {instances: 2, cores: 1, memory: 1g}
      """;

  private static final String APACHE = """
      apiVersion: spark.apache.org/v1
      kind: SparkApplication
      metadata: {name: pi}
      spec:
        mainClass: org.example.Pi
        jars: "/home/me/pi.jar,/home/me/lib.jar"
        driverArgs: ["100"]
        sparkConf:
          spark.executor.instances: "2"
          spark.kubernetes.container.image: "apache/spark:{{SPARK_VERSION}}-scala"
        runtimeVersions: {sparkVersion: 4.0.1}
        applicationTolerations: {resourceRetainPolicy: OnFailure}
        driverSpec:
          podTemplateSpec:
            spec:
              priorityClassName: high
              containers: [{name: main}]
      """;

  @Test
  void readsAKubeflowApplicationAsSparkSubmitWouldBeCalledWithIt() {
    AppDescription app = SparkAppManifest.parse(KUBEFLOW, "app.yaml").describe();

    assertThat(app.kind()).isEqualTo(AppKind.JAVA);
    assertThat(app.mainClass()).isEqualTo("org.example.WordCount");
    assertThat(app.primaryResource()).isEqualTo("/home/me/app.jar");
    assertThat(app.appArgs()).containsExactly("in.txt");
    // The operator passes deps as spark-submit options, which win over the same properties.
    assertThat(app.dependencies().jars()).containsExactly("/home/me/lib.jar", "local:///opt/extra.jar");
    assertThat(app.dependencies().files()).containsExactly("/home/me/words.txt");
    assertThat(app.conf()).containsEntry("spark.jars.packages", "org.example:thing:1.0")
        .containsEntry("spark.hadoop.fs.s3a.endpoint", "http://minio:9000")
        .containsEntry("spark.kubernetes.container.image", "apache/spark:3.5.6");
    PodTemplate driver = app.templates().driver().orElseThrow();
    assertThat(driver.sparkContainer()).isEqualTo("spark-kubernetes-driver");
    assertThat(app.templates().executor()).isEmpty();
  }

  @Test
  void aKubeflowTemplateWithoutSparksContainerNameGivesItsFirstContainerAsSparkDoes() {
    String manifest = KUBEFLOW.replace("- {name: spark-kubernetes-driver}", "- {name: main}");

    PodTemplate driver = SparkAppManifest.parse(manifest, "app.yaml").describe().templates().driver().orElseThrow();

    assertThat(driver.sparkContainer()).isEqualTo("log-shipper");
  }

  @Test
  void readsAnApacheApplicationWhoseFirstJarIsThePrimaryResource() {
    AppDescription app = SparkAppManifest.parse(APACHE, "pi.yaml").describe();

    assertThat(app.kind()).isEqualTo(AppKind.JAVA);
    assertThat(app.primaryResource()).isEqualTo("/home/me/pi.jar");
    assertThat(app.dependencies().jars()).containsExactly("/home/me/lib.jar");
    assertThat(app.appArgs()).containsExactly("100");
    assertThat(app.templates().driver().orElseThrow().sparkContainer()).isEqualTo("main");
  }

  @Test
  void anApacheSparkConfListWinsOverTheFieldAsTheOperatorSetsOnlyWhatIsMissing() {
    String manifest = APACHE.replace("spark.executor.instances: \"2\"", "spark.jars: /home/me/other.jar");

    AppDescription app = SparkAppManifest.parse(manifest, "pi.yaml").describe();

    assertThat(app.primaryResource()).isEqualTo("/home/me/pi.jar");
    assertThat(app.dependencies().jars()).containsExactly("/home/me/other.jar");
  }

  @Test
  void readsAnApachePythonApplicationFromItsPyFiles() {
    String manifest = APACHE.replace("mainClass: org.example.Pi", "mainClass: org.apache.spark.deploy.PythonRunner")
        .replace("jars: \"/home/me/pi.jar,/home/me/lib.jar\"", "pyFiles: \"/home/me/pi.py,/home/me/helpers.zip\"");

    AppDescription app = SparkAppManifest.parse(manifest, "pi.yaml").describe();

    assertThat(app.kind()).isEqualTo(AppKind.PYTHON);
    assertThat(app.primaryResource()).isEqualTo("/home/me/pi.py");
    assertThat(app.dependencies().pyFiles()).containsExactly("/home/me/helpers.zip");
  }

  @Test
  void aKubeflowRewriteChangesOnlyWhatStagingChangedAndPassesTheOperatorsSchema() {
    SparkAppManifest manifest = SparkAppManifest.parse(KUBEFLOW, "app.yaml");
    AppDescription app = manifest.describe();

    manifest.rewrite(rewrite(AppKind.JAVA, app.templates().driver().orElseThrow(), "spark-kubernetes-executor"));

    JsonNode spec = manifest.tree().path("spec");
    assertThat(spec.path("mainApplicationFile").asText()).isEqualTo("local:///var/spark-data/spark-jars/app.jar");
    assertThat(spec.path("deps").path("jars")).extracting(JsonNode::asText)
        .containsExactly("local:///var/spark-data/spark-jars/app.jar", "local:///var/spark-data/spark-jars/lib.jar",
            "local:///opt/extra.jar");
    assertThat(spec.path("deps").has("packages")).isFalse();
    assertThat(spec.path("sparkConf").has("spark.jars")).isFalse();
    assertThat(spec.path("sparkConf").path("spark.eventLog.enabled").asText()).isEqualTo("true");
    assertThat(spec.path("sparkConf").path("spark.plugins").asText()).isEqualTo("io.sparkstaging.spark.StagedFilesPlugin");
    assertThat(spec.path("driver").path("template").path("spec").path("initContainers").get(0).path("name").asText())
        .isEqualTo("spark-init");
    assertThat(spec.path("driver").path("serviceAccount").asText()).isEqualTo("spark");
    assertThat(spec.path("restartPolicy").path("type").asText()).isEqualTo("Never");
    assertThat(manifest.tree().path("metadata").path("labels").path("team").asText()).isEqualTo("data");
    assertThat(OperatorSchemas.errors(OperatorSchemas.sparkApplication(OperatorSchemas.KUBEFLOW), manifest.tree())).isEmpty();
  }

  @Test
  void anApacheRewriteCarriesTheDependenciesInSparkConfAndNamesTheSparkContainers() {
    SparkAppManifest manifest = SparkAppManifest.parse(APACHE, "pi.yaml");
    AppDescription app = manifest.describe();

    manifest.rewrite(rewrite(AppKind.JAVA, app.templates().driver().orElseThrow(), "spark-kubernetes-executor"));

    JsonNode spec = manifest.tree().path("spec");
    assertThat(spec.path("jars").asText()).isEqualTo("local:///var/spark-data/spark-jars/app.jar");
    assertThat(spec.path("sparkConf").path("spark.jars").asText()).startsWith("local:///var/spark-data/spark-jars/app.jar,");
    assertThat(spec.path("sparkConf").path("spark.kubernetes.driver.podTemplateContainerName").asText()).isEqualTo("main");
    assertThat(spec.path("sparkConf").path("spark.kubernetes.executor.podTemplateContainerName").asText())
        .isEqualTo("spark-kubernetes-executor");
    assertThat(spec.path("driverSpec").path("podTemplateSpec").path("spec").path("priorityClassName").asText()).isEqualTo("high");
    assertThat(OperatorSchemas.errors(OperatorSchemas.sparkApplication(OperatorSchemas.APACHE), manifest.tree())).isEmpty();
  }

  @Test
  void theSchemasRefuseAFieldTheyDoNotKnowSoThatAMisplacedOneFailsHere() {
    String misplaced = KUBEFLOW.replace("  executor: {instances: 2", "  executor: {initContainer: {name: x}, instances: 2");

    var errors = OperatorSchemas.errors(OperatorSchemas.sparkApplication(OperatorSchemas.KUBEFLOW),
        SparkAppManifest.parse(misplaced, "app.yaml").tree());

    assertThat(errors).singleElement().asString().contains("initContainer");
    JsonNode template = new ObjectMapper().valueToTree(Map.of("spec", Map.of("containers",
        List.of(Map.of("name", "c", "volumeMount", List.of())))));
    assertThat(OperatorSchemas.errors(OperatorSchemas.podTemplateSpec(), template)).singleElement().asString().contains("volumeMount");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "type: Scala|type: R|spec.type: R: R applications are not supported",
      "mode: cluster|mode: client|spec.mode: client",
      "sparkVersion: 3.5.6|sparkVersion: 2.4.8|spec.sparkVersion: 2.4.8",
      "  type: Scala|  kind2: x|spec.type: required",
      "jars: [/home/me/lib.jar, \"local:///opt/extra.jar\"]|jars: /home/me/lib.jar|spec.deps.jars: expected a list of strings",
      "apiVersion: sparkoperator.k8s.io/v1beta2|apiVersion: sparkoperator.k8s.io/v1beta1|apiVersion sparkoperator.k8s.io/v1beta1",
      "'    template:'|'    template: 3\\n    was:'|spec.driver.template: expected a pod template",
  })
  void aKubeflowManifestThatCannotBeStagedGetsOneLineNamingTheField(String from, String to, String message) {
    String manifest = KUBEFLOW.replace(from.replace("\\n", "\n"), to.replace("\\n", "\n"));
    assertThat(manifest).isNotEqualTo(KUBEFLOW);

    assertThatThrownBy(() -> SparkAppManifest.parse(manifest, "app.yaml").describe()).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("app.yaml: ").hasMessageContaining(message).message().doesNotContain("\n");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "  mainClass: org.example.Pi|  deploymentMode: ClientMode|spec.deploymentMode: ClientMode",
      "  mainClass: org.example.Pi|  sparkRFiles: /home/me/app.R|spec.sparkRFiles: R applications are not supported",
      "  jars: \"/home/me/pi.jar,/home/me/lib.jar\"|  jars: \"\"|spec.jars: a Java application needs its jar here",
      "  driverArgs: [\"100\"]|  driverArgs: 100|spec.driverArgs: expected a list of strings",
  })
  void anApacheManifestThatCannotBeStagedGetsOneLineNamingTheField(String from, String to, String message) {
    String manifest = APACHE.replace(from, to.replace("\\n", "\n"));
    assertThat(manifest).isNotEqualTo(APACHE);
    assertThatThrownBy(() -> SparkAppManifest.parse(manifest, "pi.yaml").describe()).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("pi.yaml: ").hasMessageContaining(message);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "'apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec: {}'|kind Pod",
      "'{not: [yaml'|not YAML or JSON",
      "''|found 0 documents",
      "'apiVersion: spark.apache.org/v1\nkind: SparkApplication\n---\napiVersion: v1\nkind: Pod'|found 2 documents",
      "'apiVersion: spark.apache.org/v1\nkind: SparkApplication\nmetadata: {name: x}'|spec: required",
  })
  void whatIsNotOneSparkApplicationIsRefusedNamingTheFile(String text, String message) {
    assertThatThrownBy(() -> SparkAppManifest.parse(text.replace("\\n", "\n"), "app.yaml")).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("app.yaml: ").hasMessageContaining(message);
  }

  private static Rewrite rewrite(AppKind kind, PodTemplate driver, String executorContainer) {
    Pod decorated =
        new PodBuilder(driver.pod()).editSpec().addNewInitContainer().withName("spark-init").withImage("init").endInitContainer()
            .endSpec().build();
    Pod executor = new PodBuilder().withNewSpec().addNewInitContainer().withName("spark-init").withImage("init").endInitContainer()
        .addNewContainer().withName(executorContainer).endContainer().endSpec().build();
    return new Rewrite(kind, "local:///var/spark-data/spark-jars/app.jar",
        Map.of("spark.jars",
            "local:///var/spark-data/spark-jars/app.jar,local:///var/spark-data/spark-jars/lib.jar,local:///opt/extra.jar"),
        Map.of("spark.plugins", "io.sparkstaging.spark.StagedFilesPlugin"),
        Set.of("spark.jars", "spark.jars.packages"), driver.withPod(decorated),
        new PodTemplate(executor, executorContainer, "spec.executor.template"));
  }
}
