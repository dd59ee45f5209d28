package io.sparkstaging.submit.driver;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Spark's redaction: a property whose name or value matches {@code spark.redaction.regex} is shown redacted. */
public record Redaction(Pattern pattern) {
  public static final String REDACTED = "*********(redacted)";
  private static final String DEFAULT = "(?i)secret|password|token|access[.]key";

  public static Redaction of(Map<String, String> conf) {
    return new Redaction(Pattern.compile(conf.getOrDefault("spark.redaction.regex", DEFAULT)));
  }

  /** Sorted by key, as spark-submit's verbose output is. */
  public Map<String, String> apply(Map<String, String> properties) {
    var shown = new TreeMap<String, String>();
    properties.forEach((key, value) -> shown.put(key, pattern.matcher(key).find() || pattern.matcher(value).find() ? REDACTED : value));
    return shown;
  }
}
