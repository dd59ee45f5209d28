package io.sparkstaging.submit.driver;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.sparkstaging.common.config.ConfigException;
import io.sparkstaging.submit.deps.DependencyPlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The driver pod and container as Spark's own client builds them, and the properties that go with them.
 *
 * @param primaryResource the primary jar as the driver container sees it (a {@code local://} path when staged)
 */
public record BasicDriverStep(SubmitRequest request, AppIdentity identity, String sparkUser, String primaryResource) implements DriverStep {
  public static final String CONTAINER = "spark-kubernetes-driver";
  static final String DRIVER_LABEL_PREFIX = "spark.kubernetes.driver.label.";
  static final int DRIVER_PORT = 7078;
  static final int BLOCK_MANAGER_PORT = 7079;
  static final int UI_PORT = 4040;

  @Override
  public DriverSpec apply(DriverSpec spec) {
    String memory = request.conf("spark.driver.memory", "1g");
    long podMemory = SparkMemory.podMebibytes(memory, overheadFactor(), request.conf());
    String cores = request.conf("spark.kubernetes.driver.request.cores", request.conf("spark.driver.cores", "1"));
    var args = new ArrayList<>(List.of("driver"));
    if (request.proxyUser() != null) {
      args.addAll(List.of("--proxy-user", request.proxyUser()));
    }
    args.addAll(List.of("--properties-file", SparkPropertiesStep.PROPERTIES_PATH, "--class", request.mainClass(), primaryResource));
    args.addAll(request.appArgs());

    // On the template's Spark container, if any: its own env, mounts, resources and security context stay, as with Spark.
    Container base = spec.pod().getSpec() == null ? null : spec.pod().getSpec().getContainers().stream()
        .filter(c -> spec.sparkContainer().equals(c.getName())).findFirst().orElse(null);
    var container = (base == null ? new ContainerBuilder() : new ContainerBuilder(base))
        .withName(spec.sparkContainer())
        .withImage(request.conf("spark.kubernetes.driver.container.image", request.sparkImage()))
        .withImagePullPolicy(request.conf("spark.kubernetes.container.image.pullPolicy", "IfNotPresent"))
        .withArgs(args)
        .addNewEnv().withName("SPARK_USER").withValue(sparkUser).endEnv()
        .addNewEnv().withName("SPARK_APPLICATION_ID").withValue(identity.appId()).endEnv()
        .addToEnv(request.confWithPrefix("spark.kubernetes.driverEnv.").entrySet().stream()
            .map(entry -> new EnvVarBuilder().withName(entry.getKey()).withValue(entry.getValue()).build()).toArray(EnvVar[]::new))
        .addNewEnv().withName("SPARK_DRIVER_BIND_ADDRESS").withNewValueFrom().withNewFieldRef("v1", "status.podIP").endValueFrom().endEnv()
        .addToEnv(pythonEnv().entrySet().stream()
            .map(entry -> new EnvVarBuilder().withName(entry.getKey()).withValue(entry.getValue()).build()).toArray(EnvVar[]::new))
        .addNewPort().withName("driver-rpc-port").withContainerPort(DRIVER_PORT).withProtocol("TCP").endPort()
        .addNewPort().withName("blockmanager").withContainerPort(BLOCK_MANAGER_PORT).withProtocol("TCP").endPort()
        .addNewPort().withName("spark-ui").withContainerPort(UI_PORT).withProtocol("TCP").endPort()
        .editOrNewResources()
        .addToRequests("cpu", new Quantity(cores))
        .addToRequests("memory", new Quantity(podMemory + "Mi"))
        .addToLimits("memory", new Quantity(podMemory + "Mi"))
        .endResources()
        .build();
    for (var custom : customResources().entrySet()) {
      container = new ContainerBuilder(container).editResources().addToLimits(custom.getKey(), new Quantity(custom.getValue()))
          .endResources().build();
    }
    String cpuLimit =
        request.conf().getOrDefault("spark.kubernetes.driver.limit.cores", PodPolicy.of(request.conf()).cpuLimits() ? cores : null);
    if (cpuLimit != null) {
      container = new ContainerBuilder(container).editResources().addToLimits("cpu", new Quantity(cpuLimit)).endResources().build();
    }
    var pod = new PodBuilder(spec.pod())
        .editOrNewMetadata()
        .withName(identity.driverPodName())
        .withNamespace(request.namespace())
        .addToLabels(labels())
        .addToAnnotations(withAppId(request.confWithPrefix("spark.kubernetes.driver.annotation.")))
        .endMetadata()
        .editOrNewSpec()
        .withRestartPolicy("Never")
        // Spark puts its container last, after the template's sidecars.
        .removeMatchingFromContainers(c -> spec.sparkContainer().equals(c.getName()))
        .addToContainers(container)
        .addToNodeSelector(request.confWithPrefix("spark.kubernetes.node.selector."))
        .addToNodeSelector(request.confWithPrefix("spark.kubernetes.driver.node.selector."))
        .endSpec();
    // The same secrets pull the init-container image, often from the same private registry.
    for (String secret : request.conf("spark.kubernetes.container.image.pullSecrets", "").split(",")) {
      if (!secret.isBlank()) {
        pod.editSpec().addNewImagePullSecret(secret.strip()).endSpec();
      }
    }
    Optional
        .ofNullable(
            request.conf().getOrDefault("spark.kubernetes.driver.scheduler.name", request.conf().get("spark.kubernetes.scheduler.name")))
        .ifPresent(scheduler -> pod.editSpec().withSchedulerName(scheduler).endSpec());
    String serviceAccount = request.conf().get("spark.kubernetes.authenticate.driver.serviceAccountName");
    if (serviceAccount != null) {
      pod.editSpec().withServiceAccountName(serviceAccount).endSpec();
    }
    return spec.withPod(pod.build()).withProperties(properties(memory));
  }

  /**
   * The factor Spark's client passes on to the executors: {@code spark.kubernetes.memoryOverheadFactor}
   * if set, else the application kind's default.
   */
  private double defaultOverheadFactor() {
    String set = request.conf().get("spark.kubernetes.memoryOverheadFactor");
    return set != null ? Double.parseDouble(set) : request.kind().defaultOverheadFactor;
  }

  /** The driver's own factor wins over the default one. */
  private double overheadFactor() {
    String driver = request.conf().get("spark.driver.memoryOverheadFactor");
    return driver != null ? Double.parseDouble(driver) : defaultOverheadFactor();
  }

  /** What Spark's client sets for a Python driver, from the Spark properties first, then the submitter's environment. */
  private Map<String, String> pythonEnv() {
    var env = new LinkedHashMap<String, String>();
    if (request.kind() != AppKind.PYTHON) {
      return env;
    }
    Optional<String> python = Optional.ofNullable(request.conf().get("spark.pyspark.python"));
    python.or(() -> Optional.ofNullable(request.environment().get("PYSPARK_PYTHON"))).ifPresent(value -> env.put("PYSPARK_PYTHON", value));
    Optional.ofNullable(request.conf().get("spark.pyspark.driver.python")).or(() -> python)
        .or(() -> Optional.ofNullable(request.environment().get("PYSPARK_DRIVER_PYTHON")))
        .or(() -> Optional.ofNullable(request.environment().get("PYSPARK_PYTHON")))
        .ifPresent(value -> env.put("PYSPARK_DRIVER_PYTHON", value));
    return env;
  }

  /** The labels Spark puts on a driver, and the user's own {@code spark.kubernetes.driver.label.*}. */
  public Map<String, String> labels() {
    var labels = new LinkedHashMap<>(withAppId(request.confWithPrefix(DRIVER_LABEL_PREFIX)));
    labels.put("spark-app-selector", identity.appId());
    labels.put("spark-role", "driver");
    labels.put("spark-app-name", identity.appNameLabel());
    return labels;
  }

  /** {@code spark.driver.resource.NAME.amount} with its {@code .vendor}, as limits named {@code VENDOR/NAME} (GPUs and the like). */
  private Map<String, String> customResources() {
    var resources = new LinkedHashMap<String, String>();
    request.confWithPrefix("spark.driver.resource.").forEach((key, amount) -> {
      if (key.endsWith(".amount")) {
        String name = key.substring(0, key.length() - ".amount".length());
        String vendor = request.conf().get("spark.driver.resource." + name + ".vendor");
        if (vendor == null) {
          throw new ConfigException("spark.driver.resource." + name + ".amount is set but spark.driver.resource." + name
              + ".vendor is not: Kubernetes names the resource VENDOR/" + name);
        }
        resources.put(vendor + "/" + name, amount);
      }
    });
    return resources;
  }

  /**
   * {@code {{APP_ID}}} replaced by the app id, as Spark does in annotations (3.5 and 4.0) and labels
   * (4.0; Spark 3.5's own client would send the braces, which no label value may hold).
   */
  private Map<String, String> withAppId(Map<String, String> values) {
    var replaced = new LinkedHashMap<String, String>();
    values.forEach((key, value) -> replaced.put(key, value.replace("{{APP_ID}}", identity.appId())));
    return replaced;
  }

  private Map<String, String> properties(String memory) {
    var properties = new LinkedHashMap<>(request.conf());
    // Resolved and staged on the submitter: the driver must find them where they were put, not resolve them again.
    DependencyPlan.REPLACED_KEYS.forEach(properties::remove);
    properties.put("spark.master", "k8s://https://kubernetes.default.svc");
    properties.put("spark.app.name", request.appName());
    properties.put("spark.app.id", identity.appId());
    properties.put("spark.submit.deployMode", "cluster");
    properties.put("spark.kubernetes.namespace", request.namespace());
    properties.put("spark.kubernetes.driver.pod.name", identity.driverPodName());
    properties.put("spark.kubernetes.submitInDriver", "true");
    properties.put("spark.kubernetes.resource.type", request.kind().resourceType);
    properties.put("spark.kubernetes.memoryOverheadFactor", String.valueOf(defaultOverheadFactor()));
    properties.put("spark.kubernetes.container.image", request.sparkImage());
    properties.put("spark.driver.memory", memory);
    // Spark 4.0 then loads the staged jars where the init-container put them instead of copying each into the
    // driver's working directory; Spark 3.5 does not know the key and copies them, as it always did.
    properties.putIfAbsent("spark.kubernetes.jars.avoidDownloadSchemes", "local");
    if (PodPolicy.of(request.conf()).cpuLimits()) {
      properties.putIfAbsent("spark.kubernetes.executor.limit.cores",
          request.conf("spark.kubernetes.executor.request.cores", request.conf("spark.executor.cores", "1")));
    }
    return properties;
  }
}
