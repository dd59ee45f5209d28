package io.sparkstaging.submit.spec;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Spark's memory strings ({@code 512m}, {@code 2g}; a bare number is MiB) and the pod memory Spark asks for. */
final class SparkMemory {
  private static final Pattern FORMAT = Pattern.compile("(\\d+)\\s*([kmgtp]?)b?");
  private static final long MIN_OVERHEAD_MIB = 384;

  private SparkMemory() {}

  static long mebibytes(String text) {
    Matcher match = FORMAT.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (!match.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a memory size; use e.g. 512m or 2g");
    }
    long number = Long.parseLong(match.group(1));
    return switch (match.group(2)) {
      case "k" -> Math.max(1, number / 1024);
      case "g" -> number * 1024;
      case "t" -> number * 1024 * 1024;
      case "p" -> number * 1024 * 1024 * 1024;
      default -> number;
    };
  }

  /** Heap plus overhead: the overhead is given, or 10% of the heap with a floor of 384 MiB. */
  static long podMebibytes(String heap, String overhead) {
    long heapMib = mebibytes(heap);
    long overheadMib = overhead != null ? mebibytes(overhead) : Math.max((long) (heapMib * 0.1), MIN_OVERHEAD_MIB);
    return heapMib + overheadMib;
  }
}
