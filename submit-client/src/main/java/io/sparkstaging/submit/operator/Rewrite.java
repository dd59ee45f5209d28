package io.sparkstaging.submit.operator;

import io.sparkstaging.submit.driver.AppKind;
import io.sparkstaging.submit.pod.PodTemplate;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What staging changed, for an operator's manifest to carry.
 *
 * @param primaryInPod the primary resource where the init-container puts it
 * @param dependencyProperties {@code spark.jars}, {@code spark.files}, {@code spark.submit.pyFiles} and
 *     {@code spark.archives}, with the pods' paths, as the driver must see them
 * @param otherProperties the rest to set: the staging plugin's, and defaults the user did not set
 * @param removedProperties properties the manifest must no longer carry (the user's dependency lists, packages)
 */
record Rewrite(AppKind kind, String primaryInPod, Map<String, String> dependencyProperties, Map<String, String> otherProperties,
    Set<String> removedProperties, PodTemplate driver, PodTemplate executor) {

  List<String> dependencies(String key) {
    String value = dependencyProperties.get(key);
    return value == null ? List.of() : ManifestFields.split(value);
  }
}
