package io.sparkstaging.init.fetch;

import io.sparkstaging.common.wire.Headers;
import io.sparkstaging.common.wire.Problem;
import io.sparkstaging.common.wire.ReprDigest;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

/**
 * Sends GETs and sorts the answers into bodies, retryable failures and final refusals.
 *
 * <p>Built on {@link HttpURLConnection} rather than {@code java.net.http.HttpClient}: the latter
 * initialises the JVM's TLS stack when it is built, a large part of every pod's start even for
 * plain http (README, "Start-up"); this touches TLS only for https. It also has a per-read timeout, so
 * a stalled connection becomes a failure to resume from rather than a hang.
 */
public final class HttpFetcher {
  private static final String AUTHORIZATION = Headers.AUTHORIZATION;
  private static final String REPR_DIGEST = ReprDigest.HEADER;
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
  private static final int MAX_REDIRECTS = 5;
  private static final Pattern JSON_MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

  private final SSLSocketFactory tls;

  /** @param tls the trust to use for https; null for the JVM's default */
  public HttpFetcher(SSLSocketFactory tls) {
    this.tls = tls;
  }

  /** A successful answer: status, headers, and a body the caller must read or close. */
  public record Answer(int status, Map<String, String> headers, InputStream body) {
    public Optional<String> header(String name) {
      return headers.entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).findFirst();
    }

    public OptionalLong contentLength() {
      return header("Content-Length").map(value -> OptionalLong.of(Long.parseLong(value.strip()))).orElse(OptionalLong.empty());
    }
  }

  /**
   * Follows redirects itself. A request carrying a secret may be redirected once, by the staging
   * server, to a presigned object-store URL: the secret is dropped on the way (the URL is its own
   * credential, and must be valid for no other host), and the staging server's {@code ETag} and
   * {@code Repr-Digest} stay the answer's, so the bytes are verified against what it vouched for.
   * A redirect without that digest is not followed. The object store is trusted the JVM's default
   * way: the configured trust is the staging server's.
   *
   * @param headers request headers; their values never go into messages, as one may be a secret
   */
  public Answer get(URI uri, Map<String, String> headers, Deadline deadline) throws FetchFailure {
    Map<String, String> vouched = Map.of();
    SSLSocketFactory trust = tls;
    for (int hop = 0;; hop++) {
      HttpURLConnection connection = connect(uri, headers, trust, deadline);
      int status = responseCode(connection, uri);
      String location = connection.getHeaderField("Location");
      boolean carriesSecret = headers.containsKey(AUTHORIZATION);
      if (REDIRECTS.contains(status) && location != null && hop < (carriesSecret ? 1 : MAX_REDIRECTS)) {
        if (carriesSecret) {
          vouched = vouchedHeaders(connection);
          if (!vouched.containsKey(REPR_DIGEST)) {
            connection.disconnect();
            throw new FetchFailure(FetchFailure.Kind.REFUSED, "HTTP " + status + " from " + origin(uri)
                + ": a redirect without a Repr-Digest to verify the bytes against, not followed for a request that carries a secret");
          }
          headers = withoutSecret(headers);
          trust = null;
        }
        URI next = redirectTarget(uri, location);
        connection.disconnect();
        uri = next;
        continue;
      }
      if (status / 100 == 2) {
        try {
          var answerHeaders = responseHeaders(connection);
          answerHeaders.putAll(vouched);
          return new Answer(status, answerHeaders, connection.getInputStream());
        } catch (IOException e) {
          throw new FetchFailure(FetchFailure.Kind.NETWORK, "download from " + origin(uri) + " broke: " + describe(e), e);
        }
      }
      String reason = "HTTP " + status + " from " + origin(uri) + errorMessage(connection)
          + (status / 100 == 3 ? " (a redirect not followed: none to follow, or too many)" : "");
      boolean projectServer = connection.getHeaderField(Headers.API) != null;
      connection.disconnect();
      if (status == Problem.NOT_FOUND.status() && !projectServer) {
        throw FetchFailure.routeUnknown(reason);
      }
      boolean retryable = Problem.isRetryable(status);
      throw new FetchFailure(retryable ? FetchFailure.Kind.NETWORK : FetchFailure.Kind.REFUSED, reason);
    }
  }

  /** @param trust null for the JVM's default */
  private HttpURLConnection connect(URI uri, Map<String, String> headers, SSLSocketFactory trust, Deadline deadline) throws FetchFailure {
    try {
      var connection = (HttpURLConnection) uri.toURL().openConnection();
      if (connection instanceof HttpsURLConnection https && trust != null) {
        https.setSSLSocketFactory(trust);
      }
      connection.setConnectTimeout(millisWithin(CONNECT_TIMEOUT, deadline));
      connection.setReadTimeout(millisWithin(READ_TIMEOUT, deadline));
      connection.setUseCaches(false);
      // HttpURLConnection would re-send every header, the secret too, to wherever a redirect points.
      connection.setInstanceFollowRedirects(false);
      headers.forEach(connection::setRequestProperty);
      return connection;
    } catch (IOException e) {
      throw new FetchFailure(FetchFailure.Kind.NETWORK, "cannot reach " + origin(uri) + ": " + describe(e), e);
    }
  }

  private static int responseCode(HttpURLConnection connection, URI uri) throws FetchFailure {
    try {
      return connection.getResponseCode();
    } catch (IOException e) {
      throw new FetchFailure(FetchFailure.Kind.NETWORK, "cannot reach " + origin(uri) + ": " + describe(e), e);
    }
  }

  private static URI redirectTarget(URI from, String location) throws FetchFailure {
    try {
      URI next = from.resolve(location);
      if ("http".equalsIgnoreCase(next.getScheme()) || "https".equalsIgnoreCase(next.getScheme())) {
        return next;
      }
    } catch (IllegalArgumentException malformed) {
      // Refused below.
    }
    throw new FetchFailure(FetchFailure.Kind.REFUSED, origin(from) + " redirected to something that is not an http(s) URL");
  }

  private static Map<String, String> vouchedHeaders(HttpURLConnection connection) {
    var vouched = new HashMap<String, String>();
    for (String name : List.of("ETag", REPR_DIGEST)) {
      String value = connection.getHeaderField(name);
      if (value != null) {
        vouched.put(name, value);
      }
    }
    return vouched;
  }

  /** The request as the redirect target gets it: no secret, and no If-Range, whose tag is the staging server's, not the store's. */
  private static Map<String, String> withoutSecret(Map<String, String> headers) {
    var kept = new HashMap<>(headers);
    kept.remove(AUTHORIZATION);
    kept.remove("If-Range");
    return kept;
  }

  /** Case-insensitive, so that a vouched header replaces the store's whatever their spelling. */
  private static Map<String, String> responseHeaders(HttpURLConnection connection) {
    var headers = new TreeMap<String, String>(String.CASE_INSENSITIVE_ORDER);
    connection.getHeaderFields().forEach((name, values) -> {
      if (name != null && !values.isEmpty()) {
        headers.put(name, values.get(0));
      }
    });
    return headers;
  }

  private static int millisWithin(Duration limit, Deadline deadline) {
    return (int) Math.max(1, Math.min(limit.toMillis(), deadline.remaining().toMillis()));
  }

  /** The server's own explanation, from its JSON error body, short and on one line. */
  private static String errorMessage(HttpURLConnection connection) {
    try (InputStream body = connection.getErrorStream()) {
      if (body == null) {
        return "";
      }
      String text = new String(body.readNBytes(4096), StandardCharsets.UTF_8);
      Matcher message = JSON_MESSAGE.matcher(text);
      return message.find() ? " (" + message.group(1).replace("\\\"", "\"") + ")" : "";
    } catch (IOException unreadable) {
      return "";
    }
  }

  static String describe(IOException e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
  }

  /** Scheme, host and port: enough to say where, never a path or query that might carry a token. */
  static String origin(URI uri) {
    return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "");
  }
}
