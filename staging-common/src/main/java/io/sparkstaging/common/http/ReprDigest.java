package io.sparkstaging.common.http;

import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SHA-256 member of an RFC 9530 {@code Repr-Digest} header, {@code sha-256=:BASE64:}: the
 * server sends it with every download and accepts it with an upload.
 */
public final class ReprDigest {
  public static final String HEADER = "Repr-Digest";
  private static final Pattern SHA256 = Pattern.compile("(?:^|,)\\s*sha-256\\s*=\\s*:([A-Za-z0-9+/=]*):\\s*(?:,|$)");

  private ReprDigest() {}

  public static String format(String sha256Hex) {
    return "sha-256=:" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256Hex)) + ":";
  }

  /**
   * @return the hex SHA-256 the header announces; empty if there is no header or no sha-256 member
   * @throws IllegalArgumentException if the sha-256 member is not 32 bytes of base64
   */
  public static Optional<String> sha256Hex(String header) {
    if (header == null) {
      return Optional.empty();
    }
    Matcher match = SHA256.matcher(header);
    if (!match.find()) {
      return Optional.empty();
    }
    try {
      byte[] digest = Base64.getDecoder().decode(match.group(1));
      if (digest.length == 32) {
        return Optional.of(HexFormat.of().formatHex(digest));
      }
    } catch (IllegalArgumentException malformed) {
      // Reported below, with the same message as a wrong length.
    }
    throw new IllegalArgumentException(HEADER + ": sha-256 must be 32 bytes in base64 between colons");
  }
}
