package io.sparkstaging.common.units;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UnitsTest {
  @ParameterizedTest
  @CsvSource({"1048576,1048576", "512k,524288", "512m,536870912", "2g,2147483648", "2G,2147483648", "1t,1099511627776",
      "64MiB,67108864", "0,0"})
  void parsesSizesAsOperatorsWriteThem(String text, long bytes) {
    assertThat(ByteSize.parse(text)).isEqualTo(bytes);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "big", "-1", "1.5g", "9999999999999t"})
  void rejectsWhatIsNotASize(String text) {
    assertThatThrownBy(() -> ByteSize.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void formatsInTheLargestExactUnit() {
    assertThat(ByteSize.format(4L << 30)).isEqualTo("4 GiB");
    assertThat(ByteSize.format(1536L << 20)).isEqualTo("1536 MiB");
    assertThat(ByteSize.format(1000)).isEqualTo("1000 B");
  }

  @Test
  void durationsNeedAUnit() {
    assertThat(DurationText.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(DurationText.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(DurationText.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(DurationText.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(DurationText.parse("2d")).isEqualTo(Duration.ofDays(2));
    assertThatThrownBy(() -> DurationText.parse("30")).hasMessageContaining("30s");
    assertThat(DurationText.format(Duration.ofMinutes(5))).isEqualTo("5m");
    assertThat(DurationText.format(Duration.ofDays(7))).isEqualTo("7d");
    assertThat(DurationText.format(Duration.ofHours(36))).isEqualTo("36h");
    assertThat(DurationText.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
  }

  @Test
  void readableSizesHaveOneDecimalInTheLargestUnitThatFits() {
    assertThat(ByteSize.readable(0)).isEqualTo("0 B");
    assertThat(ByteSize.readable(1023)).isEqualTo("1023 B");
    assertThat(ByteSize.readable(3 << 20)).isEqualTo("3.0 MiB");
    assertThat(ByteSize.readable(314_572_800L)).isEqualTo("300.0 MiB");
    assertThat(ByteSize.readable(1536)).isEqualTo("1.5 KiB");
    assertThat(ByteSize.readable(5L << 40)).isEqualTo("5.0 TiB");
  }
}
