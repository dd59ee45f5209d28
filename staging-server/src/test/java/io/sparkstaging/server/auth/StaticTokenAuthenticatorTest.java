package io.sparkstaging.server.auth;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkstaging.server.errors.StagingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticTokenAuthenticatorTest {
  @TempDir
  Path dir;

  @Test
  void onlyTheTokenAsABearerPasses() {
    var auth = StaticTokenAuthenticator.ofToken("s3cret-token");

    assertThatCode(() -> auth.check("Bearer s3cret-token", Optional.empty())).doesNotThrowAnyException();
    assertThatCode(() -> auth.check("bearer  s3cret-token ", Optional.empty())).doesNotThrowAnyException();
    assertThatThrownBy(() -> auth.check(null, Optional.empty())).isInstanceOf(StagingException.class).hasMessageContaining("Bearer");
    assertThatThrownBy(() -> auth.check("s3cret-token", Optional.empty())).isInstanceOf(StagingException.class);
    assertThatThrownBy(() -> auth.check("Bearer s3cret-tokeN", Optional.empty())).isInstanceOf(StagingException.class)
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void aTokenFileIsReadAgainWhenItChanges() throws IOException {
    Path file = Files.writeString(dir.resolve("token"), "first\n");
    var auth = StaticTokenAuthenticator.ofFile(file);
    auth.check("Bearer first", Optional.empty());

    Files.writeString(file, "second\n");
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plus(Duration.ofMinutes(1))));

    assertThatCode(() -> auth.check("Bearer second", Optional.empty())).doesNotThrowAnyException();
    assertThatThrownBy(() -> auth.check("Bearer first", Optional.empty())).isInstanceOf(StagingException.class);
  }

  @Test
  void aTokenFileBrieflyMissingKeepsTheLastToken() throws IOException {
    Path file = Files.writeString(dir.resolve("token"), "kept");
    var auth = StaticTokenAuthenticator.ofFile(file);
    Files.delete(file);

    assertThatCode(() -> auth.check("Bearer kept", Optional.empty())).doesNotThrowAnyException();
  }

  @Test
  void aTokenFileRewrittenInPlaceKeepsTheLastTokenUntilItHoldsANewOne() throws IOException {
    Path file = Files.writeString(dir.resolve("token"), "kept-token\n");
    var auth = StaticTokenAuthenticator.ofFile(file);

    // Truncated first, as an editor or a secret syncer writing in place does; then blank; then the new token.
    Files.writeString(file, "");
    touch(file, 1);
    assertThatCode(() -> auth.check("Bearer kept-token", Optional.empty())).doesNotThrowAnyException();
    assertThatThrownBy(() -> auth.check("Bearer ", Optional.empty())).isInstanceOf(StagingException.class);
    Files.writeString(file, "\n \n");
    touch(file, 2);
    assertThatCode(() -> auth.check("Bearer kept-token", Optional.empty())).doesNotThrowAnyException();
    Files.writeString(file, "next-token\n");
    touch(file, 3);
    assertThatCode(() -> auth.check("Bearer next-token", Optional.empty())).doesNotThrowAnyException();
    assertThatThrownBy(() -> auth.check("Bearer kept-token", Optional.empty())).isInstanceOf(StagingException.class);
  }

  @Test
  void aRewriteWithinOneTickOfACoarseFileClockIsSeenByItsSize() throws IOException {
    Path file = Files.writeString(dir.resolve("token"), "kept-token\n");
    touch(file, 1);
    var auth = StaticTokenAuthenticator.ofFile(file);

    Files.writeString(file, "");
    touch(file, 1);
    assertThatCode(() -> auth.check("Bearer kept-token", Optional.empty())).doesNotThrowAnyException();
    Files.writeString(file, "the-next-token\n");
    touch(file, 1);

    assertThatCode(() -> auth.check("Bearer the-next-token", Optional.empty())).doesNotThrowAnyException();
  }

  @Test
  void aTokenFileHoldingNoTokenAtStartIsRefused() throws IOException {
    Path file = Files.writeString(dir.resolve("token"), "\n");

    assertThatThrownBy(() -> StaticTokenAuthenticator.ofFile(file)).hasMessageContaining("holds no token");
  }

  private static void touch(Path file, int minutes) throws IOException {
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-11-29T00:00:00Z").plus(Duration.ofMinutes(minutes))));
  }

  @Test
  void tooManyFailuresFromOneAddressAre429UntilTheWindowPasses() {
    var limiter = new FailedAttemptLimiter(3, Duration.ofMinutes(1));
    for (int i = 0; i < 3; i++) {
      limiter.requireAllowed("10.0.0.1", "Bearer guess-" + i);
      limiter.recordFailure("10.0.0.1");
    }

    assertThatThrownBy(() -> limiter.requireAllowed("10.0.0.1", "Bearer guess")).hasMessageContaining("too many failed authentications");
    assertThatCode(() -> limiter.requireAllowed("10.0.0.2", "Bearer guess")).doesNotThrowAnyException();
  }

  @Test
  void aCredentialAcceptedWithinTheWindowStillPassesFromALockedAddress() {
    var limiter = new FailedAttemptLimiter(3, Duration.ofMinutes(1));
    limiter.recordSuccess("Bearer the-real-token");
    for (int i = 0; i < 3; i++) {
      limiter.recordFailure("10.0.0.1");
    }

    // Someone else behind the same address (a NAT, an ingress) is not locked out by the guesser.
    assertThatCode(() -> limiter.requireAllowed("10.0.0.1", "Bearer the-real-token")).doesNotThrowAnyException();
    assertThatThrownBy(() -> limiter.requireAllowed("10.0.0.1", "Bearer another-guess")).hasMessageContaining("too many");
    assertThatThrownBy(() -> limiter.requireAllowed("10.0.0.1", null)).hasMessageContaining("too many");
  }
}
