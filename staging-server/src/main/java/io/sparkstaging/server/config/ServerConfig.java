package io.sparkstaging.server.config;

import io.sparkstaging.common.units.ByteSize;
import io.sparkstaging.common.units.DurationText;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Everything the server needs, typed and validated once at start. */
public record ServerConfig(
    String host,
    int port,
    Path dataDir,
    Optional<S3Config> s3,
    long maxBundleSize,
    long minFreeSpace,
    Duration idleTimeout,
    long minUploadRate,
    Duration shutdownGrace,
    Optional<TlsConfig> tls,
    Duration cleanupInterval,
    Duration initialAccessExpiration,
    Optional<Duration> maxBundleAge,
    long maxTotalSize,
    long maxNamespaceSize,
    UploadAuthConfig uploadAuth,
    KubernetesMode kubernetes,
    Optional<String> kubernetesMaster,
    Duration ownerGracePeriod,
    Duration blobGrace,
    LogFormat logFormat,
    int acceptQueue,
    int maxDownloads,
    List<String> trustedProxies) {

  public ServerConfig {
    trustedProxies = List.copyOf(trustedProxies);
  }

  /** How log lines are written: for people, or one JSON object a line for a log pipeline. */
  public enum LogFormat {
    text,
    json
  }

  /** Whether to look for a cluster to watch for owner-aware cleanup. */
  public enum KubernetesMode {
    auto,
    off
  }

  /** The configuration line logged at start, with the port actually bound: no secret can appear in it. */
  public String summary(int boundPort) {
    return String.format("listen %s://%s:%d, %s, max bundle %s, min free space %s, idle timeout %s, "
        + "min upload rate %s/s, shutdown grace %s, TLS %s, cleanup every %s (not downloaded within %s, max age %s, unlisted blobs after %s), "
        + "caps %s in all, %s per namespace, upload auth %s, accept queue %d, downloads at once %s, trusted proxies %s",
        tls.isPresent() ? "https" : "http", host, boundPort,
        s3.map(S3Config::describe).map(where -> "storage " + where).orElse("data dir " + dataDir.toAbsolutePath()),
        ByteSize.format(maxBundleSize),
        ByteSize.format(minFreeSpace), DurationText.format(idleTimeout), ByteSize.format(minUploadRate),
        DurationText.format(shutdownGrace), tls.map(TlsConfig::describe).orElse("off"), DurationText.format(cleanupInterval),
        DurationText.format(initialAccessExpiration), maxBundleAge.map(DurationText::format).orElse("off"), DurationText.format(blobGrace),
        maxTotalSize > 0 ? ByteSize.format(maxTotalSize) : "none", maxNamespaceSize > 0 ? ByteSize.format(maxNamespaceSize) : "none",
        uploadAuth.describe(), acceptQueue, maxDownloads > 0 ? String.valueOf(maxDownloads) : "auto",
        trustedProxies.isEmpty() ? "none" : String.join(",", trustedProxies));
  }
}
