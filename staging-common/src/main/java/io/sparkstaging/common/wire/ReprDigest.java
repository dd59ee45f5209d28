package io.sparkstaging.common.wire;

import io.sparkstaging.common.text.OneLine;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SHA-256 member of an RFC 9530 {@code Repr-Digest} header, {@code sha-256=:BASE64:}: the
 * server sends it with every download and accepts it with an upload. A header that is there is
 * read strictly, as the RFC 8941 dictionary it is: one that cannot be read, or holds no SHA-256 to
 * check against, is refused rather than taken for no header, which would skip the check.
 */
public final class ReprDigest {
  public static final String HEADER = "Repr-Digest";
  private static final String SHA256 = "sha-256";
  /** A dictionary member: a lower-case key and a byte sequence, {@code key=:base64:}. */
  private static final Pattern MEMBER = Pattern.compile("([a-z*][a-z0-9_.*-]*)=:([A-Za-z0-9+/]*={0,2}):");

  private ReprDigest() {}

  public static String format(String sha256Hex) {
    return SHA256 + "=:" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256Hex)) + ":";
  }

  /** @see #sha256Hex(List) */
  public static Optional<String> sha256Hex(String header) {
    return sha256Hex(header == null ? List.of() : List.of(header));
  }

  /**
   * @param fieldLines every {@code Repr-Digest} line of the message, which together make one dictionary
   * @return the hex SHA-256 the header announces; empty if there is no header
   * @throws IllegalArgumentException naming the header when it is malformed, holds no sha-256
   *     member, holds two different ones, or one that is not 32 bytes
   */
  public static Optional<String> sha256Hex(List<String> fieldLines) {
    if (fieldLines.isEmpty()) {
      return Optional.empty();
    }
    String sha256 = null;
    for (String member : String.join(",", fieldLines).split(",", -1)) {
      Matcher match = MEMBER.matcher(member.strip());
      if (!match.matches()) {
        throw new IllegalArgumentException(HEADER + ": '" + OneLine.of(member.strip(), 80) + "' is not algorithm=:base64: (RFC 9530, e.g. "
            + SHA256 + "=:" + "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:)");
      }
      if (match.group(1).equals(SHA256)) {
        String hex = hex(match.group(2));
        if (sha256 != null && !sha256.equals(hex)) {
          throw new IllegalArgumentException(HEADER + ": two different " + SHA256 + " values");
        }
        sha256 = hex;
      }
    }
    if (sha256 == null) {
      throw new IllegalArgumentException(HEADER + ": no " + SHA256 + " member, the only algorithm checked here");
    }
    return Optional.of(sha256);
  }

  private static String hex(String base64) {
    byte[] digest;
    try {
      digest = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException notBase64) {
      throw new IllegalArgumentException(HEADER + ": " + SHA256 + " is not base64", notBase64);
    }
    if (digest.length != 32) {
      throw new IllegalArgumentException(HEADER + ": " + SHA256 + " must be 32 bytes in base64 between colons, not " + digest.length);
    }
    return HexFormat.of().formatHex(digest);
  }
}
