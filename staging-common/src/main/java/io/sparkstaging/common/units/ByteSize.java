package io.sparkstaging.common.units;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Byte sizes as operators write them: {@code 1048576}, {@code 512k}, {@code 512m}, {@code 2g}, {@code 1t} (powers of 1024). */
public final class ByteSize {
  private static final Pattern FORMAT = Pattern.compile("(\\d+)\\s*([kmgt]?)(i?b)?");
  private static final String UNITS = "kmgt";

  private ByteSize() {}

  public static long parse(String text) {
    Matcher match = FORMAT.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (!match.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a size; use e.g. 1048576, 512k, 512m, 2g");
    }
    String unit = match.group(2);
    int shift = unit.isEmpty() ? 0 : 10 * (UNITS.indexOf(unit) + 1);
    long number = Long.parseLong(match.group(1));
    if (shift > 0 && number > (Long.MAX_VALUE >> shift)) {
      throw new IllegalArgumentException("'" + text + "' is too large");
    }
    return number << shift;
  }

  public static String format(long bytes) {
    for (int shift = 40; shift > 0; shift -= 10) {
      if (bytes >= (1L << shift) && bytes % (1L << shift) == 0) {
        return (bytes >> shift) + " " + "KMGT".charAt(shift / 10 - 1) + "iB";
      }
    }
    return bytes + " B";
  }

  /** For people: bytes below 1 KiB, else one decimal in the largest unit that gives at least 1, e.g. "3.0 MiB". */
  public static String readable(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    int shift = 10;
    while (shift < 40 && bytes >= (1L << (shift + 10))) {
      shift += 10;
    }
    return String.format(Locale.ROOT, "%.1f %ciB", bytes / (double) (1L << shift), "KMGT".charAt(shift / 10 - 1));
  }
}
