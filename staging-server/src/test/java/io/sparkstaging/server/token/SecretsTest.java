package io.sparkstaging.server.token;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkstaging.server.store.SecretDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import org.junit.jupiter.api.Test;

class SecretsTest {
  private final SecretIssuer issuer = new SecretIssuer(new SecureRandom());

  @Test
  void secretsCarry256BitsAsUrlSafeText() {
    String secret = issuer.newSecret();

    assertThat(secret).matches("[A-Za-z0-9_-]{43}");
    assertThat(Base64.getUrlDecoder().decode(secret)).hasSize(32);
  }

  @Test
  void secretsDoNotRepeat() {
    var seen = new HashSet<String>();
    for (int i = 0; i < 1000; i++) {
      assertThat(seen.add(issuer.newSecret())).isTrue();
    }
  }

  @Test
  void aDigestMatchesOnlyItsSecretAndSurvivesStorage() {
    String secret = issuer.newSecret();
    SecretDigest stored = SecretDigest.fromBase64(SecretDigest.of(secret).toBase64());

    assertThat(stored.matches(secret)).isTrue();
    assertThat(stored.matches(secret + "x")).isFalse();
    assertThat(stored.matches("")).isFalse();
    assertThat(stored.toString()).doesNotContain(stored.toBase64());
  }
}
