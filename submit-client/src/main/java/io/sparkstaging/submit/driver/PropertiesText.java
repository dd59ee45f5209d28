package io.sparkstaging.submit.driver;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/** A properties file's text, escaped as {@link Properties} escapes it, sorted, without the date comment that would make it differ run to run. */
final class PropertiesText {
  private PropertiesText() {}

  static String of(Map<String, String> values) {
    var properties = new Properties();
    properties.putAll(values);
    var text = new StringWriter();
    try {
      properties.store(text, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString().lines().filter(line -> !line.startsWith("#")).sorted().collect(Collectors.joining("\n", "", "\n"));
  }
}
