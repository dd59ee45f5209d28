package io.sparkstaging.server.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;

/**
 * Behind an ingress every connection comes from the ingress controller, so the client is the one
 * the proxies name in {@code Forwarded} (RFC 7239) or, without it, {@code X-Forwarded-For}; the
 * limiter of failed authentications and the access log must see that client. Those headers are
 * believed only from the configured proxies, and read from the right: each trusted proxy appends
 * the address it received from, so the first address that is not a trusted proxy is the client,
 * and whatever a client wrote further left is ignored. (Jetty's {@code ForwardedRequestCustomizer}
 * takes the leftmost address from anyone, which a client can choose.)
 */
public final class TrustedProxies implements HttpConfiguration.Customizer {
  private static final Pattern FOR = Pattern.compile("(?i)(?:^|;)\\s*for\\s*=\\s*(\"[^\"]*\"|[^;,\\s]*)");

  private final List<Cidr> proxies;

  /**
   * @param cidrs addresses ({@code 10.0.0.7}) or ranges ({@code 10.0.0.0/8}, {@code fd00::/8})
   * @throws IllegalArgumentException naming the first that is neither
   */
  public TrustedProxies(List<String> cidrs) {
    this.proxies = cidrs.stream().map(Cidr::parse).toList();
  }

  @Override
  public Request customize(Request request, HttpFields.Mutable responseHeaders) {
    SocketAddress peer = request.getConnectionMetaData().getRemoteSocketAddress();
    if (!(peer instanceof InetSocketAddress socket) || !trusted(socket.getAddress())) {
      return request;
    }
    List<String> hops = hops(request.getHeaders());
    InetAddress client = null;
    for (int i = hops.size() - 1; i >= 0; i--) {
      Optional<InetAddress> hop = address(hops.get(i));
      if (hop.isEmpty()) {
        break;
      }
      client = hop.get();
      if (!trusted(client)) {
        break;
      }
    }
    if (client == null) {
      return request;
    }
    var clientAddress = new InetSocketAddress(client, 0);
    return new Request.Wrapper(request) {
      @Override
      public ConnectionMetaData getConnectionMetaData() {
        return new ConnectionMetaData.Wrapper(super.getConnectionMetaData()) {
          @Override
          public SocketAddress getRemoteSocketAddress() {
            return clientAddress;
          }
        };
      }
    };
  }

  private boolean trusted(InetAddress address) {
    return proxies.stream().anyMatch(cidr -> cidr.contains(address));
  }

  /** The addresses the proxies recorded, leftmost first: from {@code Forwarded} if present, else {@code X-Forwarded-For}. */
  private static List<String> hops(HttpFields headers) {
    var hops = new ArrayList<String>();
    List<String> forwarded = headers.getValuesList(HttpHeader.FORWARDED);
    if (!forwarded.isEmpty()) {
      for (String line : forwarded) {
        for (String element : line.split(",")) {
          var match = FOR.matcher(element);
          hops.add(match.find() ? match.group(1) : "");
        }
      }
      return hops;
    }
    for (String line : headers.getValuesList(HttpHeader.X_FORWARDED_FOR)) {
      for (String element : line.split(",")) {
        hops.add(element);
      }
    }
    return hops;
  }

  /** An IP literal, with or without quotes, brackets and port; empty for anything else ({@code unknown}, {@code _hidden}, a name). */
  static Optional<InetAddress> address(String hop) {
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

  /** An address range: {@code 10.0.0.0/8}, or one address. */
  record Cidr(byte[] network, int prefix) {
    static Cidr parse(String text) {
      String[] parts = text.strip().split("/", 2);
      InetAddress address = address(parts[0]).orElseThrow(() -> new IllegalArgumentException("not an IP address: " + text));
      byte[] bytes = address.getAddress();
      int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : bytes.length * 8;
      if (prefix < 0 || prefix > bytes.length * 8) {
        throw new IllegalArgumentException("prefix out of range: " + text.toLowerCase(Locale.ROOT));
      }
      return new Cidr(bytes, prefix);
    }

    boolean contains(InetAddress address) {
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
  }
}
