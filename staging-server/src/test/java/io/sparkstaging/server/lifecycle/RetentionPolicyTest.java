package io.sparkstaging.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkstaging.common.wire.BundleOwner;
import io.sparkstaging.server.lifecycle.RetentionPolicy.Deletion.Reason;
import io.sparkstaging.server.store.BundleId;
import io.sparkstaging.server.store.BundleRecord;
import io.sparkstaging.server.store.SecretDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetentionPolicyTest {
  private static final Instant UPLOADED = Instant.parse("2026-11-21T10:00:00Z");
  private final RetentionPolicy policy = new RetentionPolicy(Duration.ofMinutes(30), Optional.of(Duration.ofDays(7)));

  private static BundleRecord bundle(Optional<Instant> downloaded) {
    return new BundleRecord(BundleId.generate(new SecureRandom()), new BundleOwner("ns", Map.of("a", "b"), BundleOwner.OwnerType.Pod),
        SecretDigest.of("s"), 1, "00", UPLOADED, downloaded, Optional.empty());
  }

  @Test
  void aBundleNeverDownloadedExpiresAfterTheInitialAccessTimeout() {
    assertThat(policy.judge(bundle(Optional.empty()), UPLOADED.plus(Duration.ofMinutes(29)))).isEmpty();
    assertThat(policy.judge(bundle(Optional.empty()), UPLOADED.plus(Duration.ofMinutes(30))))
        .hasValueSatisfying(deletion -> assertThat(deletion.reason()).isEqualTo(Reason.NEVER_DOWNLOADED));
  }

  @Test
  void aDownloadedBundleIsKeptUntilTheMaximumAge() {
    BundleRecord downloaded = bundle(Optional.of(UPLOADED.plusSeconds(60)));

    assertThat(policy.judge(downloaded, UPLOADED.plus(Duration.ofDays(6)))).isEmpty();
    assertThat(policy.judge(downloaded, UPLOADED.plus(Duration.ofDays(7))))
        .hasValueSatisfying(deletion -> assertThat(deletion.explanation()).isEqualTo("older than the maximum age of 7d"));
  }

  @Test
  void withoutAMaximumAgeADownloadedBundleStays() {
    var noMaxAge = new RetentionPolicy(Duration.ofMinutes(30), Optional.empty());

    assertThat(noMaxAge.judge(bundle(Optional.of(UPLOADED)), UPLOADED.plus(Duration.ofDays(365)))).isEmpty();
  }
}
