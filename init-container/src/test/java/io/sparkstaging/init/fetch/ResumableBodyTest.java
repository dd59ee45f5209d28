package io.sparkstaging.init.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkstaging.init.fetch.ResumableBody.ContentRange;
import io.sparkstaging.init.support.FakeFileServer;
import io.sparkstaging.server.support.Bundles;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ResumableBodyTest {
  private static final byte[] CONTENT = Bundles.random(3_000_000, 5);

  @Test
  void aRangeBrokenMidwayResumesWithinItAndEndsWhereItDoes() throws Exception {
    try (var flaky = FakeFileServer.http(CONTENT).cuttingFirstAnswerAfter(500_000)) {
      var deadline = Deadline.in(Duration.ofSeconds(30));
      String etag = "\"" + Bundles.sha256Hex(CONTENT) + "\"";

      try (ResumableBody body = ResumableBody.openRange(new HttpFetcher(null), URI.create(flaky.uri("/bundle")), Map.of(), etag,
          1_000_000, 1_999_999, deadline, new RetryPolicy(Duration.ofMillis(10), Duration.ofMillis(10), deadline))) {
        assertThat(body.contentRange()).isEqualTo(Optional.of(new ContentRange(1_000_000, 1_999_999, OptionalLong.of(CONTENT.length))));
        assertThat(body.readAllBytes()).isEqualTo(Arrays.copyOfRange(CONTENT, 1_000_000, 2_000_000));
      }
      assertThat(flaky.rangesAsked()).containsExactly("bytes=1000000-1999999", "bytes=1500000-1999999");
    }
  }

  @Test
  void aRangeResumedByAServerThatSendsMoreStillEndsWhereItWasAskedTo() throws Exception {
    try (var server = FakeFileServer.http(CONTENT).cuttingFirstAnswerAfter(500_000).ignoringRangeEndsOnResume()) {
      var deadline = Deadline.in(Duration.ofSeconds(30));
      String etag = "\"" + Bundles.sha256Hex(CONTENT) + "\"";

      try (ResumableBody body = ResumableBody.openRange(new HttpFetcher(null), URI.create(server.uri("/bundle")), Map.of(), etag,
          1_000_000, 1_999_999, deadline, new RetryPolicy(Duration.ofMillis(10), Duration.ofMillis(10), deadline))) {
        assertThat(body.readAllBytes()).isEqualTo(Arrays.copyOfRange(CONTENT, 1_000_000, 2_000_000));
      }
      assertThat(server.rangesAsked()).containsExactly("bytes=1000000-1999999", "bytes=1500000-1999999");
    }
  }
}
