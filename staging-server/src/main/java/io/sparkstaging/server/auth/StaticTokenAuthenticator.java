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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

  /**
   * The token file's digest, read again when its modification time or size changes. A file being
   * rewritten in place (truncated, then written, as editors and some secret syncers do) is for a
   * moment empty or partial: until it holds a plausible token again, the last good one stays, so
   * that valid uploads are not refused (and counted towards the lockout) meanwhile.
   */
  private static final class FileToken implements Supplier<byte[]> {
    private static final Logger log = LoggerFactory.getLogger(StaticTokenAuthenticator.class);

    private final Path file;
    private FileTime readAt;
    private long readSize = -1;
    private byte[] digest;
    private boolean warned;

    FileToken(Path file) {
      this.file = file;
      get();
    }

    @Override
    public synchronized byte[] get() {
      try {
        FileTime modified = Files.getLastModifiedTime(file);
        long size = Files.size(file);
        if (!modified.equals(readAt) || size != readSize) {
          String token = Files.readString(file, StandardCharsets.UTF_8).strip();
          if (plausible(token)) {
            digest = sha256(token);
            readAt = modified;
            readSize = size;
            warned = false;
          } else if (digest == null) {
            throw new UncheckedIOException(new IOException("the upload token file " + file + " holds no token"));
          } else if (!warned) {
            // Not marked as read: it is read again on the next upload, until it holds a token.
            log.warn("The upload token file {} holds no usable token now (empty, partly written, or not printable ASCII); "
                + "keeping the last one until it does", file);
            warned = true;
          }
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

    /** What a bearer token can be: printable ASCII, no spaces (RFC 6750's b64token is narrower still). */
    private static boolean plausible(String token) {
      return !token.isEmpty() && token.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }
  }
}
