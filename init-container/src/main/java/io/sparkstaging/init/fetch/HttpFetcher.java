package io.sparkstaging.init.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

/**
 * Sends GETs and sorts the answers into bodies, retryable failures and final refusals.
 *
 * <p>Built on {@link HttpURLConnection} rather than {@code java.net.http.HttpClient}: the latter
 * initialises the JVM's TLS stack when it is built, which cost 170-480 ms of every pod's start
 * here even for plain http; this touches TLS only for https. It also has a per-read timeout, so
 * a stalled connection becomes a failure to resume from rather than a hang.
 */
public final class HttpFetcher {
  private static final String AUTHORIZATION = "Authorization";
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
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

  /** @param headers request headers; their values never go into messages, as one may be a secret */
  public Answer get(URI uri, Map<String, String> headers, Deadline deadline) throws FetchFailure {
    HttpURLConnection connection;
    int status;
    try {
      connection = (HttpURLConnection) uri.toURL().openConnection();
      if (connection instanceof HttpsURLConnection https && tls != null) {
        https.setSSLSocketFactory(tls);
      }
      connection.setConnectTimeout(millisWithin(CONNECT_TIMEOUT, deadline));
      connection.setReadTimeout(millisWithin(READ_TIMEOUT, deadline));
      connection.setUseCaches(false);
      // HttpURLConnection re-sends every request header to a redirect's target: a request that
      // carries a secret must not follow one, or the secret would go to another host.
      connection.setInstanceFollowRedirects(!headers.containsKey(AUTHORIZATION));
      headers.forEach(connection::setRequestProperty);
      status = connection.getResponseCode();
    } catch (IOException e) {
      throw new FetchFailure(FetchFailure.Kind.NETWORK, "cannot reach " + origin(uri) + ": " + describe(e), e);
    }
    if (status / 100 == 2) {
      try {
        return new Answer(status, responseHeaders(connection), connection.getInputStream());
      } catch (IOException e) {
        throw new FetchFailure(FetchFailure.Kind.NETWORK, "download from " + origin(uri) + " broke: " + describe(e), e);
      }
    }
    String reason = "HTTP " + status + errorMessage(connection)
        + (status / 100 == 3 ? " (a redirect, not followed for a request that carries a secret)" : "");
    connection.disconnect();
    boolean retryable = status >= 500 || status == 408 || status == 429;
    throw new FetchFailure(retryable ? FetchFailure.Kind.NETWORK : FetchFailure.Kind.REFUSED, reason);
  }

  private static Map<String, String> responseHeaders(HttpURLConnection connection) {
    var headers = new java.util.HashMap<String, String>();
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
