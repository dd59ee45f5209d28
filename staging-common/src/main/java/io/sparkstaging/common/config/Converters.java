package io.sparkstaging.common.config;

import io.sparkstaging.common.units.ByteSize;
import io.sparkstaging.common.units.DurationText;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli converters for the shared size and duration syntax. A value that is not one is a
 * {@link TypeConversionException}, which picocli reports as the option's name and the reason
 * alone, not as the converter's exception.
 */
public final class Converters {
  private Converters() {}

  /** {@code 1048576}, {@code 512k}, {@code 512m}, {@code 2g}. */
  public static final class Size extends Reading<Long> {
    @Override
    Long parse(String value) {
      return ByteSize.parse(value);
    }
  }

  /** As {@link Time}, and a bare number is milliseconds, as in Spark's own time settings ({@code 1800000}). */
  public static final class MillisOrTime extends BareNumberIn {
    public MillisOrTime() {
      super(ChronoUnit.MILLIS, "milliseconds");
    }
  }

  /** As {@link Time}, and a bare number is minutes, as in Spark's {@code mountTimeout} ({@code 5}). */
  public static final class MinutesOrTime extends BareNumberIn {
    public MinutesOrTime() {
      super(ChronoUnit.MINUTES, "minutes");
    }
  }

  /** {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d}. */
  public static final class Time extends Reading<Duration> {
    @Override
    Duration parse(String value) {
      return DurationText.parse(value);
    }
  }

  /** A duration in the shared syntax, or a bare number of {@code unit}s. */
  private abstract static class BareNumberIn extends Reading<Duration> {
    private final ChronoUnit unit;
    private final String units;

    BareNumberIn(ChronoUnit unit, String units) {
      this.unit = unit;
      this.units = units;
    }

    @Override
    Duration parse(String value) {
      String text = value.strip();
      if (text.isEmpty() || !text.chars().allMatch(Character::isDigit)) {
        return DurationText.parse(text);
      }
      try {
        return Duration.of(Long.parseLong(text), unit);
      } catch (NumberFormatException | ArithmeticException e) {
        throw new TypeConversionException("'" + text + "' " + units + " is more than a duration can be");
      }
    }
  }

  /** A parser's refusal turned into picocli's, which reports the option and the reason and nothing of the converter. */
  private abstract static class Reading<T> implements ITypeConverter<T> {
    abstract T parse(String value);

    @Override
    public final T convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
