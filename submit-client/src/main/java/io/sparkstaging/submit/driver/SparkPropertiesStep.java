package io.sparkstaging.submit.driver;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.Map;
import java.util.TreeMap;

/**
 * Last step: the {@code spark.properties} ConfigMap from every property the earlier steps set,
 * with the submitter's other configuration files beside it, mounted where the stock image's
 * entrypoint reads it, as Spark's client does.
 */
public record SparkPropertiesStep(AppIdentity identity, String namespace, Map<String, String> confFiles) implements DriverStep {
  static final String CONF_DIR = "/opt/spark/conf";
  static final String PROPERTIES_FILE = "spark.properties";
  public static final String PROPERTIES_PATH = CONF_DIR + "/" + PROPERTIES_FILE;
  static final String VOLUME = "spark-conf-volume-driver";

  @Override
  public DriverSpec apply(DriverSpec spec) {
    String name = "spark-drv-" + identity.uniqueId() + "-conf-map";
    var files = new TreeMap<>(confFiles);
    files.put(PROPERTIES_FILE, PropertiesText.of(spec.sparkProperties()));
    ConfigMap configMap = new ConfigMapBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
        .withImmutable(true)
        .addToData(files)
        .build();
    var items = files.keySet().stream().map(file -> new KeyToPath(file, 420, file)).toList();
    var pod = new PodBuilder(spec.pod())
        .editSpec()
        .addNewVolume().withName(VOLUME).withNewConfigMap().withName(name).withItems(items).endConfigMap().endVolume()
        .editMatchingContainer(container -> container.getName().equals(spec.sparkContainer()))
        .addNewVolumeMount().withName(VOLUME).withMountPath(CONF_DIR).endVolumeMount()
        .addNewEnv().withName("SPARK_CONF_DIR").withValue(CONF_DIR).endEnv()
        .endContainer()
        .endSpec()
        .build();
    return spec.withPod(pod).withResource(configMap);
  }
}
