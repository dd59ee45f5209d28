package io.sparkstaging.server.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where a namespace's blobs are kept, as a path segment or key part: 32 hex digits of its name's
 * SHA-256, so that no storage path is built from a client's string.
 */
public final class NamespaceKey {
  private NamespaceKey() {}

  public static String of(String namespace) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(namespace.getBytes(StandardCharsets.UTF_8)), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
