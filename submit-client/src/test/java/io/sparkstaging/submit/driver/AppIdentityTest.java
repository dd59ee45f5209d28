package io.sparkstaging.submit.driver;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class AppIdentityTest {
  private final Clock clock = Clock.fixed(Instant.ofEpochMilli(0x12_3456_7890L), ZoneOffset.UTC);

  @Test
  void namesFollowSparksRules() {
    AppIdentity identity = AppIdentity.create("My App_v2!", new SecureRandom(), clock);

    assertThat(identity.appId()).matches("spark-[0-9a-f]{32}");
    assertThat(identity.uniqueId()).matches("[0-9a-f]{6}1234567890");
    assertThat(identity.resourcePrefix()).isEqualTo("my-app-v2-" + identity.uniqueId());
    assertThat(identity.appNameLabel()).isEqualTo("my-app-v2");
    assertThat(identity.driverPodName()).isEqualTo(identity.resourcePrefix() + "-driver");
  }

  @Test
  void sanitisingHandlesLeadingDigitsDashesAndLongNames() {
    assertThat(AppIdentity.sanitise("9lives")).isEqualTo("xlives");
    assertThat(AppIdentity.sanitise("--a  b--")).isEqualTo("a-b-");
    assertThat(AppIdentity.label("x".repeat(70))).hasSize(63);
    assertThat(AppIdentity.create("a".repeat(60), new SecureRandom(), clock).driverServiceName()).startsWith("spark-")
        .endsWith("-driver-svc");
  }
}
