package io.sparkstaging.server.upload;

import io.sparkstaging.server.errors.Problem;
import io.sparkstaging.server.errors.StagingException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the SHA-256 member of an RFC 9530 {@code Repr-Digest} header, e.g. {@code sha-256=:BASE64:}. */
final class ReprDigest {
  static final String HEADER = "Repr-Digest";
  private static final Pattern SHA256 = Pattern.compile("(?:^|,)\\s*sha-256\\s*=\\s*:([A-Za-z0-9+/=]*):\\s*(?:,|$)");

  private ReprDigest() {}

  /** The hex digest the client announced, or null if it announced none we check. */
  static String sha256Hex(String header) {
    if (header == null) {
      return null;
    }
    Matcher match = SHA256.matcher(header);
    if (!match.find()) {
      return null;
    }
    try {
      byte[] digest = Base64.getDecoder().decode(match.group(1));
      if (digest.length == 32) {
        return HexFormat.of().formatHex(digest);
      }
    } catch (IllegalArgumentException malformed) {
      // Reported below, with the same message as a wrong length.
    }
    throw new StagingException(Problem.BAD_REQUEST, HEADER + ": sha-256 must be 32 bytes in base64 between colons");
  }
}
