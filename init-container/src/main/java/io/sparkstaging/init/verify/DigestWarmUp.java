package io.sparkstaging.init.verify;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Pays SHA-256's first-use costs on a thread of its own while the JVM reads its options and makes
 * its first request: loading the security providers, and running the digest until the JIT has
 * compiled its block function. Otherwise the first verification pays them, in a fetch by digest
 * between the manifest's answer and the request for the files.
 */
public final class DigestWarmUp {
  /** Enough blocks to pass the JIT's first threshold for the block function. */
  private static final int BYTES = 64 * 1024;

  private DigestWarmUp() {}

  public static void start() {
    Thread thread = new Thread(DigestWarmUp::run, "digest-warm-up");
    thread.setDaemon(true);
    thread.start();
  }

  private static void run() {
    try {
      MessageDigest.getInstance("SHA-256").digest(new byte[BYTES]);
    } catch (NoSuchAlgorithmException e) {
      // Every JVM has SHA-256; the verification that needs it reports its absence.
    }
  }
}
