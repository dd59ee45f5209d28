package io.sparkstaging.common.units;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as operators write them: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d}. A unit is required. */
public final class DurationText {
  private static final Pattern FORMAT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private DurationText() {}

  public static Duration parse(String text) {
    Matcher match = FORMAT.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (!match.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a duration; use e.g. 500ms, 30s, 5m, 1h, 2d");
    }
    long n = Long.parseLong(match.group(1));
    return switch (match.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  public static String format(Duration duration) {
    long ms = duration.toMillis();
    if (ms % 1000 != 0) {
      return ms + "ms";
    }
    long s = ms / 1000;
    if (s % 86400 == 0 && s > 0) {
      return s / 86400 + "d";
    }
    if (s % 3600 == 0 && s > 0) {
      return s / 3600 + "h";
    }
    return s % 60 == 0 && s > 0 ? s / 60 + "m" : s + "s";
  }
}
