package io.sparkstaging.submit.podspec;

import java.util.Objects;
import java.util.Optional;

/**
 * What the init-container needs in a pod. The paths and names are the original
 * apache-spark-on-k8s ones, so that its init-container images and ours read the same layout.
 *
 * @param image the init-container image
 * @param propertiesConfigMap the ConfigMap holding {@code spark-init.properties}
 * @param secretName the Secret holding the bundle secrets, if any bundle was staged
 */
public record InitContainerSpec(String image, String imagePullPolicy, String propertiesConfigMap, Optional<String> secretName) {
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

  public InitContainerSpec {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(imagePullPolicy, "imagePullPolicy");
    Objects.requireNonNull(propertiesConfigMap, "propertiesConfigMap");
    Objects.requireNonNull(secretName, "secretName");
  }
}
