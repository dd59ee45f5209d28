package io.sparkstaging.submit.deps;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One dependency as the user wrote it, read as spark-submit reads it: a path with no scheme (or
 * {@code file:}, or a Windows drive path) is local to the submitter; {@code http(s)} is fetched in
 * the pods; anything else ({@code local:}, {@code s3a:}, {@code hdfs:}…) is left to Spark.
 * {@code #fragment} is kept apart: it names an archive's directory.
 */
public sealed interface DependencyRef {
  Pattern WINDOWS_DRIVE = Pattern.compile("^[A-Za-z]:[\\\\/].*");
  Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:.*");

  /** What the user wrote. */
  String given();

  /** The text after {@code #}, if any. */
  Optional<String> fragment();

  /** A file on the submitter's machine, staged. */
  record Local(String given, Path path, Optional<String> fragment) implements DependencyRef {}

  /** An http(s) URI, fetched by the init-container in every pod. */
  record Remote(String given, URI uri, Optional<String> fragment) implements DependencyRef {}

  /** Left to Spark as written: {@code local://} (already in the image) or a filesystem Spark reads itself. */
  record Kept(String given, Optional<String> fragment) implements DependencyRef {}

  /** @throws IllegalArgumentException if {@code text} is empty or an unreadable URI */
  static DependencyRef parse(String text) {
    String given = text.strip();
    if (given.isEmpty()) {
      throw new IllegalArgumentException("an empty entry");
    }
    int hash = given.lastIndexOf('#');
    Optional<String> fragment = hash >= 0 ? Optional.of(given.substring(hash + 1)) : Optional.empty();
    String body = hash >= 0 ? given.substring(0, hash) : given;
    if (WINDOWS_DRIVE.matcher(body).matches() || !SCHEME.matcher(body).matches()) {
      // A plain path, spaces and all: spark-submit does not require it to be a valid URI either.
      return new Local(given, Path.of(body), fragment);
    }
    URI uri;
    try {
      uri = new URI(body);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("'" + given + "' is not a valid URI: " + e.getReason(), e);
    }
    return switch (uri.getScheme().toLowerCase(Locale.ROOT)) {
      case "file" -> new Local(given, Path.of(uri), fragment);
      case "http", "https" -> new Remote(given, uri, fragment);
      default -> new Kept(given, fragment);
    };
  }
}
