package io.sparkstaging.submit.operator;

import io.sparkstaging.common.config.ConfigException;
import io.sparkstaging.submit.driver.AppKind;
import io.sparkstaging.submit.driver.SubmitRequest;
import io.sparkstaging.submit.pod.PodTemplate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Apache Spark Kubernetes Operator's {@code spark.apache.org/v1} SparkApplication (operator
 * 1.0). The operator builds the driver with Spark's own code from {@code spec.sparkConf}: a property
 * there wins over the field it would otherwise take from {@code spec.jars} or {@code spec.pyFiles},
 * which name the primary resource; {@code spec.files} is not read by the operator, so files travel
 * as {@code spark.files}. Each {@code podTemplateSpec} becomes Spark's pod template file.
 */
final class ApacheSparkApplication implements OperatorDialect {
  private static final String DRIVER_NAME_KEY = "spark.kubernetes.driver.podTemplateContainerName";
  private static final String EXECUTOR_NAME_KEY = "spark.kubernetes.executor.podTemplateContainerName";

  @Override
  public String apiVersion() {
    return "spark.apache.org/v1";
  }

  @Override
  public AppDescription describe(ManifestFields manifest) {
    if (manifest.text("spec.deploymentMode").filter("ClientMode"::equals).isPresent()) {
      throw new ConfigException(
          "spec.deploymentMode: ClientMode: the driver would not run in a pod with the init-container; use ClusterMode");
    }
    if (!manifest.commaList("spec.sparkRFiles").isEmpty()) {
      throw new ConfigException("spec.sparkRFiles: R applications are not supported (SparkR is deprecated in Spark 4)");
    }
    Map<String, String> conf = new LinkedHashMap<>(manifest.map("spec.sparkConf"));
    Optional<String> mainClass = manifest.text("spec.mainClass");
    List<String> jars = manifest.commaList("spec.jars");
    List<String> pyFiles = manifest.commaList("spec.pyFiles");
    boolean python = mainClass.filter(AppKind.PYTHON_RUNNER::equals).isPresent() || (jars.isEmpty() && !pyFiles.isEmpty());
    List<String> named = python ? pyFiles : jars;
    if (named.isEmpty()) {
      throw new ConfigException(python ? "spec.pyFiles: a Python application needs its .py file first here"
          : "spec.jars: a Java application needs its jar here (spec.pyFiles for a Python one)");
    }
    List<String> rest = named.subList(1, named.size());
    var dependencies = new SubmitRequest.Dependencies(python ? list(conf, "spark.jars", List.of()) : list(conf, "spark.jars", rest),
        list(conf, "spark.files", manifest.commaList("spec.files")), python ? list(conf, "spark.submit.pyFiles", rest) : List.of(),
        list(conf, "spark.archives", List.of()));
    var templates = new SubmitRequest.Templates(
        template(manifest, "spec.driverSpec.podTemplateSpec", conf.get(DRIVER_NAME_KEY), DRIVER_NAME_KEY,
            KubeflowSparkApplication.DRIVER_CONTAINER),
        template(manifest, "spec.executorSpec.podTemplateSpec", conf.get(EXECUTOR_NAME_KEY), EXECUTOR_NAME_KEY,
            KubeflowSparkApplication.EXECUTOR_CONTAINER));
    return new AppDescription(python ? AppKind.PYTHON : AppKind.JAVA, python ? AppKind.PYTHON_RUNNER : mainClass.orElse(""), named.get(0),
        manifest.list("spec.driverArgs"), dependencies, conf, manifest.text("spec.proxyUser"), templates);
  }

  @Override
  public void rewrite(ManifestFields manifest, Rewrite rewrite) {
    manifest.setText(rewrite.kind() == AppKind.PYTHON ? "spec.pyFiles" : "spec.jars", rewrite.primaryInPod());
    if (manifest.text("spec.files").isPresent()) {
      manifest.setText("spec.files", String.join(",", rewrite.dependencies("spark.files")));
    }
    var properties = new LinkedHashMap<>(rewrite.dependencyProperties());
    properties.putAll(rewrite.otherProperties());
    properties.put(DRIVER_NAME_KEY, rewrite.driver().sparkContainer());
    properties.put(EXECUTOR_NAME_KEY, rewrite.executor().sparkContainer());
    manifest.editMap("spec.sparkConf", rewrite.removedProperties(), properties);
    manifest.setPodTemplate("spec.driverSpec.podTemplateSpec", rewrite.driver().pod());
    manifest.setPodTemplate("spec.executorSpec.podTemplateSpec", rewrite.executor().pod());
  }

  private static Optional<PodTemplate> template(ManifestFields manifest, String field, String containerName, String nameKey,
      String fallback) {
    return manifest.podTemplate(field)
        .map(pod -> PodTemplate.of(pod, Optional.ofNullable(containerName), field, "spec.sparkConf." + nameKey, fallback));
  }

  /** The operator sets each of these only if the user's sparkConf has not. */
  private static List<String> list(Map<String, String> conf, String key, List<String> fromFields) {
    return conf.containsKey(key) ? ManifestFields.split(conf.get(key)) : fromFields;
  }
}
