package io.sparkstaging.submit.pod;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.Objects;
import java.util.Optional;

/**
 * What the init-container needs in a pod. The paths and names are the original
 * apache-spark-on-k8s ones, so that its init-container images and ours read the same layout.
 *
 * @param image the init-container image
 * @param propertiesConfigMap the ConfigMap holding {@code spark-init.properties}
 * @param secretName the Secret holding the bundle secrets, if any bundle was staged
 * @param resources its CPU and memory requests and limits, which quota admission checks as it does
 *     a Spark container's
 */
public record InitContainerSpec(String image, String imagePullPolicy, String propertiesConfigMap, Optional<String> secretName,
    ResourceRequirements resources) {
  public static final String CONTAINER_NAME = "spark-init";
  public static final String PROPERTIES_DIR = "/etc/spark-init";
  public static final String PROPERTIES_FILE_NAME = "spark-init.properties";
  /** The ConfigMap key the original submission client stored the properties under. */
  public static final String PROPERTIES_KEY = "download-submitted-files";
  public static final String SECRET_DIR = "/mnt/secrets/spark-init";
  public static final String JARS_DIR = "/var/spark-data/spark-jars";
  public static final String FILES_DIR = "/var/spark-data/spark-files";
  /** Apart from the files: an archive given without an alias is unpacked under its own name. */
  public static final String ARCHIVES_DIR = FILES_DIR + "/.archives";
  // Not "spark-local-dir-*": Spark's LocalDirsFeatureStep skips its own volumes if it sees that prefix.
  public static final String JARS_VOLUME = "download-jars-volume";
  public static final String FILES_VOLUME = "download-files";
  public static final String PROPERTIES_VOLUME = "spark-init-properties";
  public static final String SECRET_VOLUME = "spark-init-secret";

  /**
   * Sized from the init-container's measured peak (README, "Pods for clusters with quotas"); the memory
   * limit leaves the JVM a small heap and room for the page cache of what it writes.
   */
  public static final String DEFAULT_REQUEST_CORES = "250m";
  public static final String DEFAULT_LIMIT_CORES = "1";
  public static final String DEFAULT_MEMORY = "256Mi";

  public InitContainerSpec(String image, String imagePullPolicy, String propertiesConfigMap, Optional<String> secretName) {
    this(image, imagePullPolicy, propertiesConfigMap, secretName, resources(DEFAULT_REQUEST_CORES, DEFAULT_LIMIT_CORES, DEFAULT_MEMORY));
  }

  /** Memory is requested as much as it is limited to: a JVM sizes its heap from the limit and does not give it back. */
  public static ResourceRequirements resources(String requestCores, String limitCores, String memory) {
    return new ResourceRequirementsBuilder()
        .addToRequests("cpu", new Quantity(requestCores)).addToRequests("memory", new Quantity(memory))
        .addToLimits("cpu", new Quantity(limitCores)).addToLimits("memory", new Quantity(memory))
        .build();
  }

  public InitContainerSpec {
    Objects.requireNonNull(resources, "resources");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(imagePullPolicy, "imagePullPolicy");
    Objects.requireNonNull(propertiesConfigMap, "propertiesConfigMap");
    Objects.requireNonNull(secretName, "secretName");
  }
}
