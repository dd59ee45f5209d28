package io.sparkstaging.server.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;

/** Test bundles and the facts tests check about them. */
public final class Bundles {
  public static final String OWNER_JSON =
      "{\"ownerNamespace\":\"spark-jobs\",\"ownerLabels\":{\"spark-app-selector\":\"spark-0123\",\"spark-role\":\"driver\"},\"ownerType\":\"Pod\"}";

  private Bundles() {}

  /** Deterministic bytes, so that a failure reproduces. */
  public static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  public static String sha256Hex(byte[] bytes) {
    return HexFormat.of().formatHex(sha256().digest(bytes));
  }

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** Every file under the directory, for asserting that nothing was left behind. */
  public static long filesUnder(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).count();
    }
  }

  /** Directories below {@code dir}, not counting itself. */
  public static long directoriesUnder(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isDirectory).count() - 1;
    }
  }
}
