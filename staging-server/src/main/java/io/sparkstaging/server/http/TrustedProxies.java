package io.sparkstaging.server.http;

import io.sparkstaging.server.config.IpRange;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
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

  private final List<IpRange> proxies;

  /**
   * @param cidrs addresses ({@code 10.0.0.7}) or ranges ({@code 10.0.0.0/8}, {@code fd00::/8})
   * @throws IllegalArgumentException naming the first that is neither
   */
  public TrustedProxies(List<String> cidrs) {
    this.proxies = cidrs.stream().map(IpRange::parse).toList();
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
      Optional<InetAddress> hop = IpRange.address(hops.get(i));
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
}
