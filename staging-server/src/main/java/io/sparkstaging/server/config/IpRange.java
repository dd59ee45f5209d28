package io.sparkstaging.server.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/** An address range, {@code 10.0.0.0/8} or {@code fd00::/8}, or one address: what {@code --trusted-proxies} lists. */
public record IpRange(byte[] network, int prefix) {
  /** @throws IllegalArgumentException naming {@code text} when it is not an address or range */
  public static IpRange parse(String text) {
    String[] parts = text.strip().split("/", 2);
    InetAddress address = address(parts[0]).orElseThrow(() -> new IllegalArgumentException("not an IP address: " + text));
    byte[] bytes = address.getAddress();
    int prefix;
    try {
      prefix = parts.length == 2 ? Integer.parseInt(parts[1].strip()) : bytes.length * 8;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not an address or range: " + text);
    }
    if (prefix < 0 || prefix > bytes.length * 8) {
      throw new IllegalArgumentException("prefix out of range: " + text.toLowerCase(Locale.ROOT));
    }
    return new IpRange(bytes, prefix);
  }

  public boolean contains(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (bytes.length != network.length) {
      return false;
    }
    for (int bit = 0; bit < prefix; bit++) {
      int mask = 0x80 >> (bit % 8);
      if ((bytes[bit / 8] & mask) != (network[bit / 8] & mask)) {
        return false;
      }
    }
    return true;
  }

  /** An IP literal, with or without quotes, brackets and port; empty for anything else ({@code unknown}, {@code _hidden}, a name). */
  public static Optional<InetAddress> address(String hop) {
    String text = hop.strip();
    if (text.startsWith("\"") && text.endsWith("\"") && text.length() >= 2) {
      text = text.substring(1, text.length() - 1);
    }
    if (text.startsWith("[")) {
      int end = text.indexOf(']');
      if (end < 0) {
        return Optional.empty();
      }
      text = text.substring(1, end);
    } else if (text.indexOf(':') == text.lastIndexOf(':') && text.indexOf(':') > 0) {
      text = text.substring(0, text.indexOf(':'));
    }
    if (!text.matches("[0-9a-fA-F.:]+") || text.isEmpty()) {
      return Optional.empty();
    }
    try {
      // A literal only: no name is ever looked up.
      return Optional.of(InetAddress.getByName(text));
    } catch (UnknownHostException notALiteral) {
      return Optional.empty();
    }
  }
}
