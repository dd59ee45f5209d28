package io.sparkstaging.init.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/** Sends GETs and sorts the answers into bodies, retryable failures and final refusals. */
public final class HttpFetcher {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Pattern JSON_MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

  private final HttpClient client;

  public HttpFetcher(SSLContext tls) {
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NORMAL)
        .sslContext(tls)
        .build();
  }

  /**
   * @param headers request headers; values are never put into messages, as one may be a secret
   * @return a 2xx response whose body the caller must read or close
   */
  public HttpResponse<InputStream> get(URI uri, Map<String, String> headers, Deadline deadline) throws FetchFailure {
    var request = HttpRequest.newBuilder(uri).GET().timeout(deadline.remaining().plusMillis(1));
    headers.forEach(request::header);
    HttpResponse<InputStream> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new FetchFailure(FetchFailure.Kind.NETWORK, "cannot reach " + origin(uri) + ": " + describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FetchFailure(FetchFailure.Kind.TIMEOUT, "interrupted", e);
    }
    int status = response.statusCode();
    if (status / 100 == 2) {
      return response;
    }
    String reason = "HTTP " + status + errorMessage(response);
    boolean retryable = status >= 500 || status == 408 || status == 429;
    throw new FetchFailure(retryable ? FetchFailure.Kind.NETWORK : FetchFailure.Kind.REFUSED, reason);
  }

  /** The server's own explanation, from its JSON error body, short and on one line. */
  private static String errorMessage(HttpResponse<InputStream> response) {
    try (InputStream body = response.body()) {
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
