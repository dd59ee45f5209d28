package io.sparkstaging.common.config;

import io.sparkstaging.common.units.ByteSize;
import io.sparkstaging.common.units.DurationText;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;

/** picocli converters for the shared size and duration syntax. */
public final class Converters {
  private Converters() {}

  /** {@code 1048576}, {@code 512k}, {@code 512m}, {@code 2g}. */
  public static final class Size implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      return ByteSize.parse(value);
    }
  }

  /** As {@link Time}, and a bare number is milliseconds, as in Spark's own time settings ({@code 1800000}). */
  public static final class MillisOrTime implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String text = value.strip();
      return !text.isEmpty() && text.chars().allMatch(Character::isDigit) ? Duration.ofMillis(Long.parseLong(text))
          : DurationText.parse(text);
    }
  }

  /** {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d}. */
  public static final class Time implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return DurationText.parse(value);
    }
  }
}
