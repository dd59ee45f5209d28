package io.sparkstaging.common.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReprDigestTest {
  private static final String HELLO_SHA256_B64 = "LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=";
  private static final String HELLO_SHA256_HEX = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

  @Test
  void readsTheSha256MemberAmongOthersAndAcrossFieldLines() {
    assertThat(ReprDigest.sha256Hex("sha-256=:" + HELLO_SHA256_B64 + ":")).contains(HELLO_SHA256_HEX);
    assertThat(ReprDigest.sha256Hex("sha-512=:AAAA:, sha-256=:" + HELLO_SHA256_B64 + ":")).contains(HELLO_SHA256_HEX);
    assertThat(ReprDigest.sha256Hex(List.of("sha-512=:AAAA:", "sha-256=:" + HELLO_SHA256_B64 + ":"))).contains(HELLO_SHA256_HEX);
    // RFC 8941 asks parsers to take base64 without its padding.
    assertThat(ReprDigest.sha256Hex("sha-256=:" + HELLO_SHA256_B64.replace("=", "") + ":")).contains(HELLO_SHA256_HEX);
  }

  @Test
  void formatsWhatItReads() {
    assertThat(ReprDigest.format(HELLO_SHA256_HEX)).isEqualTo("sha-256=:" + HELLO_SHA256_B64 + ":");
    assertThat(ReprDigest.sha256Hex(ReprDigest.format(HELLO_SHA256_HEX))).contains(HELLO_SHA256_HEX);
  }

  @Test
  void noHeaderMeansNothingToCheck() {
    assertThat(ReprDigest.sha256Hex((String) null)).isEmpty();
    assertThat(ReprDigest.sha256Hex(List.of())).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"sha-256=:!!!!:", "SHA-256=:LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=:",
      "sha-256=LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=", "sha-256=:AAAA:", "sha-256=:AAAAA:", "sha-512=:AAAA:", "", "sha-256",
      "sha-256=:LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=:;x=1", "sha-256=:LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=:,"})
  void aHeaderThatIsThereButGivesNoSha256ToCheckIsRefusedNamingIt(String header) {
    assertThatThrownBy(() -> ReprDigest.sha256Hex(header)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Repr-Digest: ");
  }

  @Test
  void twoDifferentSha256ValuesAreRefusedAndTheSameTwiceIsOne() {
    String one = "sha-256=:" + HELLO_SHA256_B64 + ":";
    String other = "sha-256=:" + "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:";
    assertThatThrownBy(() -> ReprDigest.sha256Hex(List.of(one, other))).hasMessageContaining("two different");
    assertThat(ReprDigest.sha256Hex(List.of(one, one))).contains(HELLO_SHA256_HEX);
  }
}
