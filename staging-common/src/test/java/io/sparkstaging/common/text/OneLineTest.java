package io.sparkstaging.common.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OneLineTest {
  @Test
  void controlAndFormatCharactersAreEscapedSoNoSecondLineCanBeForged() {
    assertThat(OneLine.of("a\nb\r\tc\0d\u001be\u2028f\u202eg", 100)).isEqualTo("a\\nb\\r\\tc\\0d\\u001be\\u2028f\\u202eg");
  }

  @Test
  void printableTextOfAnyScriptIsKept() {
    assertThat(OneLine.of("données-日本語 file.jar", 100)).isEqualTo("données-日本語 file.jar");
  }

  @Test
  void longTextIsCutSayingHowMuchWasLeftOut() {
    assertThat(OneLine.of("x".repeat(1_000_000), 10)).isEqualTo("xxxxxxxxxx… (999990 more characters)");
    assertThat(OneLine.of("x".repeat(10), 10)).isEqualTo("xxxxxxxxxx");
  }
}
