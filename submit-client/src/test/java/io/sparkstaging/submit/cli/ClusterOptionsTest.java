package io.sparkstaging.submit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.sparkstaging.common.config.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterOptionsTest {
  @Test
  void sparksSubmissionTimeoutsAndTrustSettingsReachTheClient() {
    Config config =
        ClusterOptions.config("k8s://https://api.example.com:6443", Map.of("spark.kubernetes.submission.connectionTimeout", "2500",
            "spark.kubernetes.submission.requestTimeout", "7000", "spark.kubernetes.trust.certificates", "true"));

    assertThat(config.getMasterUrl()).startsWith("https://api.example.com:6443");
    assertThat(config.getConnectionTimeout()).isEqualTo(2500);
    assertThat(config.getRequestTimeout()).isEqualTo(7000);
    assertThat(config.isTrustCerts()).isTrue();
    assertThat(ClusterOptions.config(null, Map.of()).getConnectionTimeout()).isEqualTo(10_000);
    assertThatThrownBy(() -> ClusterOptions.config(null, Map.of("spark.kubernetes.submission.requestTimeout", "10s")))
        .isInstanceOf(ConfigException.class).hasMessage("spark.kubernetes.submission.requestTimeout=10s: expected milliseconds");
  }

  @Test
  void theDriversSparkContainerIsFoundByItsArgumentsWhateverATemplateNamedIt() {
    var pod = new PodBuilder().withNewSpec().addNewContainer().withName("log-shipper").endContainer()
        .addNewContainer().withName("main").withArgs("driver", "--properties-file", "/opt/spark/conf/spark.properties").endContainer()
        .endSpec().build();

    assertThat(AppCommands.AppCommand.sparkContainer(pod)).isEqualTo("main");
  }
}
