package io.sparkstaging.common.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The wire records' JSON as the server writes it, one file each under {@code wire/}: what the
 * server's mapper and the submit client's {@code ClientJson} are both pinned to.
 */
public final class WireFixtures {
  private WireFixtures() {}

  /** The fixture's JSON, without its final newline. */
  public static String json(String name) {
    try (InputStream in = WireFixtures.class.getResourceAsStream("/wire/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no wire fixture " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
