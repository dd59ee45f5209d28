package io.sparkstaging.submit.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.LinkedHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PodStateTextTest {
  private static Pod ended() {
    var labels = new LinkedHashMap<String, String>();
    labels.put("spark-app-selector", "spark-0123456789abcdef0123456789abcdef");
    labels.put("spark-role", "driver");
    return new PodBuilder().withNewMetadata().withName("word-count-1a2b3c4d5e6f7a8b-driver").withNamespace("spark-jobs").withLabels(labels)
        .withUid("u-1").endMetadata()
        .withNewSpec().withServiceAccountName("spark").endSpec()
        .withNewStatus().withPhase("Failed").addNewContainerStatus().withName("spark-kubernetes-driver").withImage("apache/spark:3.5.6")
        .withNewState().withNewTerminated().withExitCode(3).withReason("Error").endTerminated().endState().endContainerStatus().endStatus()
        .build();
  }

  /** The patterns Airflow's SparkSubmitHook applies to each line of spark-submit's output. */
  @Test
  void wrappersFindTheDriverPodTheAppIdAndTheExitCodeWhereSparkSubmitPutsThem() {
    String text = PodStateText.of(ended());

    String podName = null;
    String appId = null;
    Integer exitCode = null;
    for (String line : text.split("\n")) {
      Matcher pod = Pattern.compile("\\s+pod name: ((.+?)-([a-z0-9]+)-driver$)").matcher(line);
      if (pod.find()) {
        podName = pod.group(1);
      }
      Matcher app = Pattern.compile("\\s+spark-app-selector -> (spark-([a-z0-9]+)), ").matcher(line);
      if (app.find()) {
        appId = app.group(1);
      }
      Matcher exit = Pattern.compile("\\s*[eE]xit code: (\\d+)").matcher(line);
      if (exit.find()) {
        exitCode = Integer.parseInt(exit.group(1));
      }
    }
    assertThat(podName).isEqualTo("word-count-1a2b3c4d5e6f7a8b-driver");
    assertThat(appId).isEqualTo("spark-0123456789abcdef0123456789abcdef");
    assertThat(exitCode).isEqualTo(3);
    assertThat(text).startsWith("\n\t pod name: ").contains("\n\t phase: Failed", "\n\t\t container state: terminated",
        "\n\t node name: N/A");
  }
}
