package io.sparkstaging.submit.operator;

import io.fabric8.kubernetes.api.model.Pod;
import io.sparkstaging.common.config.ConfigException;
import io.sparkstaging.submit.driver.AppKind;
import io.sparkstaging.submit.driver.SubmitRequest;
import io.sparkstaging.submit.pod.PodTemplate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The kubeflow spark-operator's {@code sparkoperator.k8s.io/v1beta2} SparkApplication, from v2.1.0
 * on, where {@code spec.driver.template} and {@code spec.executor.template} exist. The operator
 * runs spark-submit with {@code spec.deps} as its dependency options and writes each template to a
 * file it names in {@code spark.kubernetes.*.podTemplateFile}, with Spark's default container
 * names; so the init-container goes into the templates, and no mutating webhook is needed for it.
 */
final class KubeflowSparkApplication implements OperatorDialect {
  static final String DRIVER_CONTAINER = "spark-kubernetes-driver";
  static final String EXECUTOR_CONTAINER = "spark-kubernetes-executor";
  private static final Map<String, String> DEPENDENCY_FIELDS = Map.of("spark.jars", "spec.deps.jars", "spark.files", "spec.deps.files",
      "spark.submit.pyFiles", "spec.deps.pyFiles", "spark.archives", "spec.deps.archives");

  @Override
  public String apiVersion() {
    return "sparkoperator.k8s.io/v1beta2";
  }

  @Override
  public AppDescription describe(ManifestFields manifest) {
    String type = manifest.text("spec.type").orElseThrow(() -> new ConfigException("spec.type: required (Java, Scala or Python)"));
    AppKind kind = switch (type) {
      case "Java", "Scala" -> AppKind.JAVA;
      case "Python" -> AppKind.PYTHON;
      case "R" -> throw new ConfigException("spec.type: R: R applications are not supported (SparkR is deprecated in Spark 4)");
      default -> throw new ConfigException("spec.type: " + type + ": expected Java, Scala or Python");
    };
    if (manifest.text("spec.mode").filter("client"::equals).isPresent()) {
      throw new ConfigException(
          "spec.mode: client: the operator's client mode runs the driver in its own pod, without the init-container; use cluster");
    }
    manifest.text("spec.sparkVersion").filter(version -> version.startsWith("2.")).ifPresent(version -> {
      throw new ConfigException("spec.sparkVersion: " + version + ": the operator uses pod templates from Spark 3.0 on only");
    });
    String primary = manifest.text("spec.mainApplicationFile").orElseThrow(() -> new ConfigException("spec.mainApplicationFile: required"));
    var conf = new LinkedHashMap<>(manifest.map("spec.sparkConf"));
    manifest.map("spec.hadoopConf").forEach((key, value) -> conf.put("spark.hadoop." + key, value));
    manifest.text("spec.image").ifPresent(image -> conf.putIfAbsent("spark.kubernetes.container.image", image));
    // spark-submit's own options win over the same properties, and the operator passes these as options.
    putJoined(conf, "spark.jars.packages", manifest.list("spec.deps.packages"));
    putJoined(conf, "spark.jars.excludes", manifest.list("spec.deps.excludePackages"));
    putJoined(conf, "spark.jars.repositories", manifest.list("spec.deps.repositories"));
    var dependencies = new SubmitRequest.Dependencies(orConf(manifest, "spec.deps.jars", conf, "spark.jars"),
        orConf(manifest, "spec.deps.files", conf, "spark.files"), orConf(manifest, "spec.deps.pyFiles", conf, "spark.submit.pyFiles"),
        orConf(manifest, "spec.deps.archives", conf, "spark.archives"));
    String mainClass = kind == AppKind.PYTHON ? AppKind.PYTHON_RUNNER : manifest.text("spec.mainClass").orElse("");
    var templates = new SubmitRequest.Templates(template(manifest, "spec.driver.template", DRIVER_CONTAINER),
        template(manifest, "spec.executor.template", EXECUTOR_CONTAINER));
    return new AppDescription(kind, mainClass, primary, manifest.list("spec.arguments"), dependencies, conf,
        manifest.text("spec.proxyUser"),
        templates);
  }

  @Override
  public void rewrite(ManifestFields manifest, Rewrite rewrite) {
    manifest.setText("spec.mainApplicationFile", rewrite.primaryInPod());
    DEPENDENCY_FIELDS.forEach((key, field) -> manifest.setList(field, rewrite.dependencies(key)));
    List.of("spec.deps.packages", "spec.deps.excludePackages", "spec.deps.repositories").forEach(manifest::remove);
    manifest.editMap("spec.sparkConf", rewrite.removedProperties(), rewrite.otherProperties());
    manifest.setPodTemplate("spec.driver.template", rewrite.driver().pod());
    manifest.setPodTemplate("spec.executor.template", rewrite.executor().pod());
  }

  /**
   * The operator always names Spark's default container; Spark takes the first container when a
   * template has none of that name, and so does this.
   */
  private static Optional<PodTemplate> template(ManifestFields manifest, String field, String container) {
    return manifest.podTemplate(field).map((Pod pod) -> {
      boolean named = pod.getSpec() != null && pod.getSpec().getContainers().stream().anyMatch(c -> container.equals(c.getName()));
      return PodTemplate.of(pod, named ? Optional.of(container) : Optional.empty(), field, field, container);
    });
  }

  private static List<String> orConf(ManifestFields manifest, String field, Map<String, String> conf, String key) {
    List<String> values = manifest.list(field);
    return !values.isEmpty() || !conf.containsKey(key) ? values : ManifestFields.split(conf.get(key));
  }

  private static void putJoined(Map<String, String> conf, String key, List<String> values) {
    if (!values.isEmpty()) {
      conf.put(key, String.join(",", values));
    }
  }
}
