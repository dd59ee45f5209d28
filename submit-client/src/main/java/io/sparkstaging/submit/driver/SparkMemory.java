package io.sparkstaging.submit.driver;

import java.util.Locale;
import java.util.Map;
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

  /**
   * Heap plus overhead: {@code spark.driver.memoryOverhead} if given, else {@code factor} of the
   * heap with a floor of {@code spark.driver.minMemoryOverhead} (Spark 4.0's setting; 384 MiB,
   * Spark 3.5's fixed floor, when unset).
   */
  static long podMebibytes(String heap, double factor, Map<String, String> conf) {
    long heapMib = mebibytes(heap);
    String overhead = conf.get("spark.driver.memoryOverhead");
    long floor =
        conf.containsKey("spark.driver.minMemoryOverhead") ? mebibytes(conf.get("spark.driver.minMemoryOverhead")) : MIN_OVERHEAD_MIB;
    long overheadMib = overhead != null ? mebibytes(overhead) : Math.max((long) (heapMib * factor), floor);
    return heapMib + overheadMib;
  }
}
