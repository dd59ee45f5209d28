package io.sparkstaging.submit.driver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactionTest {
  @Test
  void redactsByNameOrValueWithSparksDefaultPatternOrTheUsersOwn() {
    Map<String, String> properties = Map.of("spark.ssl.kubernetes.resourceStagingServer.trustStorePassword", "hunter2",
        "spark.hadoop.fs.s3a.access.key", "AKIA", "spark.app.name", "pi", "spark.kubernetes.driverEnv.URL", "https://x?token=abc");

    assertThat(Redaction.of(Map.of()).apply(properties)).containsEntry("spark.app.name", "pi")
        .containsEntry("spark.ssl.kubernetes.resourceStagingServer.trustStorePassword", Redaction.REDACTED)
        .containsEntry("spark.hadoop.fs.s3a.access.key", Redaction.REDACTED)
        .containsEntry("spark.kubernetes.driverEnv.URL", Redaction.REDACTED);
    assertThat(Redaction.of(Map.of("spark.redaction.regex", "name")).apply(properties)).containsEntry("spark.app.name", Redaction.REDACTED)
        .containsEntry("spark.hadoop.fs.s3a.access.key", "AKIA");
  }
}
