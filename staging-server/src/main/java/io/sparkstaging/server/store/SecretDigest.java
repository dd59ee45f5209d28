package io.sparkstaging.server.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * The SHA-256 of a bundle secret: what the server keeps instead of the secret itself, so that a
 * leaked metadata file grants nothing.
 */
public final class SecretDigest {
  private final byte[] sha256;

  private SecretDigest(byte[] sha256) {
    this.sha256 = sha256;
  }

  public static SecretDigest of(String secret) {
    return new SecretDigest(sha256(secret));
  }

  public static SecretDigest fromBase64(String encoded) {
    byte[] bytes = Base64.getDecoder().decode(encoded);
    if (bytes.length != 32) {
      throw new IllegalArgumentException("a secret digest is 32 bytes, got " + bytes.length);
    }
    return new SecretDigest(bytes);
  }

  public String toBase64() {
    return Base64.getEncoder().encodeToString(sha256);
  }

  /** Constant-time: how long this takes says nothing about how much of the secret was right. */
  public boolean matches(String presented) {
    return MessageDigest.isEqual(sha256, sha256(presented));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SecretDigest digest && MessageDigest.isEqual(sha256, digest.sha256);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(sha256);
  }

  @Override
  public String toString() {
    return "SecretDigest[redacted]";
  }
}
