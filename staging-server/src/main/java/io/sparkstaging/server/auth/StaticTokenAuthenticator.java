package io.sparkstaging.server.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Uploads need {@code Authorization: Bearer TOKEN} with one shared token. The token can live in a
 * file (a mounted Kubernetes Secret), re-read whenever the file changes, so it rotates without a
 * restart. Tokens are compared as SHA-256 digests in constant time and never logged.
 */
public final class StaticTokenAuthenticator implements UploadAuthenticator {
  private static final String BEARER = "bearer ";

  private final Supplier<byte[]> expectedDigest;

  private StaticTokenAuthenticator(Supplier<byte[]> expectedDigest) {
    this.expectedDigest = expectedDigest;
  }

  public static StaticTokenAuthenticator ofToken(String token) {
    byte[] digest = sha256(token);
    return new StaticTokenAuthenticator(() -> digest);
  }

  public static StaticTokenAuthenticator ofFile(Path file) {
    return new StaticTokenAuthenticator(new FileToken(file));
  }

  @Override
  public void check(String authorization, Optional<String> namespace) {
    if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw new UploadUnauthorized(UploadUnauthorized.Wanted.UPLOAD_TOKEN, "uploads need Authorization: Bearer <upload token>");
    }
    String presented = bearerToken(authorization);
    if (!MessageDigest.isEqual(expectedDigest.get(), sha256(presented))) {
      throw new UploadUnauthorized(UploadUnauthorized.Wanted.UPLOAD_TOKEN, "the upload token is not valid");
    }
  }

  static String bearerToken(String authorization) {
    return authorization.substring(BEARER.length()).strip();
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.strip().getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** The token file's digest, read again when its modification time changes. */
  private static final class FileToken implements Supplier<byte[]> {
    private final Path file;
    private FileTime readAt;
    private byte[] digest;

    FileToken(Path file) {
      this.file = file;
      get();
    }

    @Override
    public synchronized byte[] get() {
      try {
        FileTime modified = Files.getLastModifiedTime(file);
        if (!modified.equals(readAt)) {
          digest = sha256(Files.readString(file, StandardCharsets.UTF_8));
          readAt = modified;
        }
        return digest;
      } catch (IOException e) {
        if (digest == null) {
          throw new UncheckedIOException("cannot read the upload token file " + file, e);
        }
        // A Secret being swapped may be briefly absent: keep the last token rather than lock everyone out.
        return digest;
      }
    }
  }
}
