package io.sparkstaging.common.wire;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The name an http(s) dependency is saved under: the last segment of its URI's path, percent-
 * decoded as a path is (a {@code +} stays a {@code +}; only form encoding reads it as a space), as
 * Spark names a fetched file. The client writes this name into the properties Spark reads and the
 * init-container saves the file under it, so both must use this one rule.
 */
public final class RemoteFileNames {
  private RemoteFileNames() {}

  /** Empty when the path ends in no usable name: none, {@code .}, {@code ..}, or one holding a separator or NUL. */
  public static Optional<String> of(URI uri) {
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    String raw = path.substring(path.lastIndexOf('/') + 1);
    String name;
    try {
      name = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformedEscape) {
      return Optional.empty();
    }
    boolean usable = !name.isEmpty() && !name.equals(".") && !name.equals("..") && !name.contains("/") && !name.contains("\\")
        && name.indexOf('\0') < 0;
    return usable ? Optional.of(name) : Optional.empty();
  }
}
