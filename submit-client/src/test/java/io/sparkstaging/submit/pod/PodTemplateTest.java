package io.sparkstaging.submit.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkstaging.common.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodTemplateTest {
  private static final String KEY = "spark.kubernetes.driver.podTemplateFile";

  @TempDir
  Path dir;

  private PodTemplate load(String yaml, Optional<String> container) throws Exception {
    return PodTemplate.load(Files.writeString(dir.resolve("t.yaml"), yaml), container, KEY, "spark-kubernetes-driver");
  }

  @Test
  void theSparkContainerIsTheNamedOneElseTheFirstElseANewOne() throws Exception {
    String two = "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: sidecar\n    image: envoy\n  - name: main\n    image: x\n";

    assertThat(load(two, Optional.of("main")).sparkContainer()).isEqualTo("main");
    assertThat(load(two, Optional.empty()).sparkContainer()).isEqualTo("sidecar");
    PodTemplate empty = load("apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    team: data\n", Optional.empty());
    assertThat(empty.sparkContainer()).isEqualTo("spark-kubernetes-driver");
    assertThat(empty.pod().getSpec().getContainers()).extracting(c -> c.getName()).containsExactly("spark-kubernetes-driver");
    assertThat(load("apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - image: x\n", Optional.empty()).sparkContainer())
        .isEqualTo("spark-kubernetes-driver");
  }

  @Test
  void aFileThatIsNotAPodTemplateIsNamed() {
    assertThatThrownBy(() -> load("apiVersion: v1\nkind: Pod\nspec: [not, a, map\n", Optional.empty()))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith(KEY + "=" + dir.resolve("t.yaml") + ": not a pod template: ");
    assertThatThrownBy(() -> load("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n", Optional.empty()))
        .isInstanceOf(ConfigException.class).hasMessageEndingWith("a pod template must be a Pod, this is Deployment");
    assertThatThrownBy(() -> load("apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n", Optional.of("spark")))
        .isInstanceOf(ConfigException.class)
        .hasMessageEndingWith("it has no container named 'spark' (spark.kubernetes.driver.podTemplateContainerName)");
  }
}
