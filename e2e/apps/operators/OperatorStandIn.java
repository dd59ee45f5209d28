import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an operator does between a SparkApplication appearing and its driver pod being created,
 * for the stand-in cluster, which runs no operator: it reads the SparkApplication from the API
 * server and runs stock spark-submit with the arguments that operator builds (kubeflow
 * spark-operator v2.5.2: internal/controller/sparkapplication/submission.go; Apache Spark
 * Kubernetes Operator 1.0.0: SparkAppSubmissionWorker, which runs Spark's own driver builder
 * in-process, as spark-submit does), the pod templates written to files as both operators do.
 * Only the fields the e2e manifests use are translated.
 *
 *   java -cp submit-client.jar OperatorStandIn.java kubeflow|apache MASTER NAMESPACE NAME
 */
public final class OperatorStandIn {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    String operator = args[0], master = args[1], namespace = args[2], name = args[3];
    JsonNode app;
    try (KubernetesClient client = new KubernetesClientBuilder().build()) {
      var context = operator.equals("kubeflow")
          ? new ResourceDefinitionContext.Builder().withGroup("sparkoperator.k8s.io").withVersion("v1beta2")
          : new ResourceDefinitionContext.Builder().withGroup("spark.apache.org").withVersion("v1");
      var resource = client.genericKubernetesResources(context.withKind("SparkApplication").withPlural("sparkapplications")
          .withNamespaced(true).build()).inNamespace(namespace).withName(name).get();
      app = JSON.valueToTree(resource);
    }
    List<String> command = new ArrayList<>(List.of("spark-submit", "--master", master, "--deploy-mode", "cluster"));
    command.addAll(operator.equals("kubeflow") ? kubeflow(app, namespace, name) : apache(app, namespace));
    System.err.println("operator stand-in: " + String.join(" ", command));
    System.exit(new ProcessBuilder(command).inheritIO().start().waitFor());
  }

  private static List<String> kubeflow(JsonNode app, String namespace, String name) throws Exception {
    JsonNode spec = app.path("spec");
    var args = new ArrayList<String>();
    if (spec.has("mainClass")) {
      args.addAll(List.of("--class", spec.path("mainClass").asText()));
    }
    args.addAll(List.of("--name", name));
    for (var option : Map.of("jars", "--jars", "packages", "--packages", "pyFiles", "--py-files", "files", "--files", "archives", "--archives")
        .entrySet()) {
      List<String> values = texts(spec.path("deps").path(option.getKey()));
      if (!values.isEmpty()) {
        args.addAll(List.of(option.getValue(), String.join(",", values)));
      }
    }
    conf(args, "spark.kubernetes.namespace", namespace);
    conf(args, "spark.kubernetes.container.image", spec.path("image").asText());
    conf(args, "spark.kubernetes.submission.waitAppCompletion", "false");
    spec.path("sparkConf").fields().forEachRemaining(field -> conf(args, field.getKey(), field.getValue().asText()));
    spec.path("hadoopConf").fields().forEachRemaining(field -> conf(args, "spark.hadoop." + field.getKey(), field.getValue().asText()));
    for (String role : List.of("driver", "executor")) {
      JsonNode pod = spec.path(role);
      ObjectNode template = pod.has("template") ? (ObjectNode) pod.get("template").deepCopy() : JSON.createObjectNode();
      ObjectNode metadata = template.has("metadata") ? (ObjectNode) template.get("metadata") : template.putObject("metadata");
      metadata.putArray("ownerReferences").addObject().put("apiVersion", app.path("apiVersion").asText()).put("kind", "SparkApplication")
          .put("name", name).put("uid", app.path("metadata").path("uid").asText()).put("controller", true);
      Path file = Files.createTempFile(role + "-pod-template", ".yaml");
      Files.writeString(file, JSON.writeValueAsString(template));
      conf(args, "spark.kubernetes." + role + ".podTemplateFile", file.toString());
      conf(args, "spark.kubernetes." + role + ".podTemplateContainerName", "spark-kubernetes-" + role);
      conf(args, "spark.kubernetes." + role + ".label.sparkoperator.k8s.io/app-name", name);
      conf(args, "spark." + role + ".cores", pod.path("cores").asText("1"));
      if (pod.has("memory")) {
        conf(args, "spark." + role + ".memory", pod.path("memory").asText());
      }
      if (pod.has("instances")) {
        conf(args, "spark.executor.instances", pod.path("instances").asText());
      }
      if (pod.has("serviceAccount")) {
        conf(args, "spark.kubernetes.authenticate." + role + ".serviceAccountName", pod.path("serviceAccount").asText());
      }
    }
    conf(args, "spark.kubernetes.driver.pod.name", name + "-driver");
    args.add(spec.path("mainApplicationFile").asText());
    args.addAll(texts(spec.path("arguments")));
    return args;
  }

  private static List<String> apache(JsonNode app, String namespace) throws Exception {
    JsonNode spec = app.path("spec");
    String version = spec.path("runtimeVersions").path("sparkVersion").asText();
    var conf = new LinkedHashMap<String, String>();
    spec.path("sparkConf").fields().forEachRemaining(field -> {
      String key = field.getKey();
      String value = field.getValue().asText();
      conf.put(key, key.startsWith("spark.kubernetes.") && key.endsWith("container.image") ? value.replace("{{SPARK_VERSION}}", version) : value);
    });
    conf.put("spark.kubernetes.namespace", namespace);
    String mainClass = spec.path("mainClass").asText("");
    String primary;
    if (spec.hasNonNull("jars") && !spec.path("jars").asText().isEmpty()) {
      primary = spec.path("jars").asText();
      conf.putIfAbsent("spark.jars", primary);
    } else {
      String[] pyFiles = spec.path("pyFiles").asText().split(",", 2);
      primary = pyFiles[0];
      if (pyFiles.length > 1 && !pyFiles[1].isBlank()) {
        conf.putIfAbsent("spark.submit.pyFiles", pyFiles[1]);
      }
      mainClass = "";
    }
    conf.putIfAbsent("spark.authenticate", "true");
    conf.putIfAbsent("spark.io.encryption.enabled", "true");
    conf.putIfAbsent("spark.kubernetes.executor.useDriverPodIP", "true");
    for (String role : List.of("driver", "executor")) {
      JsonNode template = spec.path(role + "Spec").path("podTemplateSpec");
      if (!template.isMissingNode()) {
        Path file = Files.createTempFile(role + "-pod-template", ".yaml");
        Files.writeString(file, JSON.writeValueAsString(template));
        conf.put("spark.kubernetes." + role + ".podTemplateFile", file.toString());
      }
    }
    var args = new ArrayList<String>(List.of("--name", app.path("metadata").path("name").asText()));
    if (!mainClass.isEmpty()) {
      args.addAll(List.of("--class", mainClass));
    }
    conf.forEach((key, value) -> conf(args, key, value));
    args.add(primary);
    args.addAll(texts(spec.path("driverArgs")));
    return args;
  }

  private static void conf(List<String> args, String key, String value) {
    args.addAll(List.of("--conf", key + "=" + value));
  }

  private static List<String> texts(JsonNode array) {
    var values = new ArrayList<String>();
    array.forEach(item -> values.add(item.asText()));
    return values;
  }
}
