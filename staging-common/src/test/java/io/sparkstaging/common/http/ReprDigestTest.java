package io.sparkstaging.common.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReprDigestTest {
  private static final String HELLO_SHA256_B64 = "LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=";
  private static final String HELLO_SHA256_HEX = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

  @Test
  void readsTheSha256MemberAmongOthers() {
    assertThat(ReprDigest.sha256Hex("sha-256=:" + HELLO_SHA256_B64 + ":")).contains(HELLO_SHA256_HEX);
    assertThat(ReprDigest.sha256Hex("sha-512=:AAAA:, sha-256=:" + HELLO_SHA256_B64 + ":")).contains(HELLO_SHA256_HEX);
  }

  @Test
  void formatsWhatItReads() {
    assertThat(ReprDigest.format(HELLO_SHA256_HEX)).isEqualTo("sha-256=:" + HELLO_SHA256_B64 + ":");
    assertThat(ReprDigest.sha256Hex(ReprDigest.format(HELLO_SHA256_HEX))).contains(HELLO_SHA256_HEX);
  }

  @Test
  void noHeaderOrNoSha256MeansNothingToCheck() {
    assertThat(ReprDigest.sha256Hex(null)).isEmpty();
    assertThat(ReprDigest.sha256Hex("sha-512=:AAAA:")).isEmpty();
  }

  @Test
  void aMalformedSha256IsRejected() {
    assertThatThrownBy(() -> ReprDigest.sha256Hex("sha-256=:AAAA:")).hasMessageContaining("32 bytes");
  }
}
