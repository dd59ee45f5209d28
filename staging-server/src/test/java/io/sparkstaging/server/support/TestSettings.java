package io.sparkstaging.server.support;

import io.sparkstaging.server.config.S3Config;
import io.sparkstaging.server.config.ServerConfig;
import io.sparkstaging.server.config.TlsConfig;
import io.sparkstaging.server.config.UploadAuthConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Server settings for tests: loopback, port 0, small limits; each test changes only what it is about. */
public final class TestSettings {
  public long maxBundleSize = 64L << 20;
  public long minFreeSpace = 0;
  public Duration idleTimeout = Duration.ofSeconds(30);
  public long minUploadRate = 1024;
  public Duration shutdownGrace = Duration.ofSeconds(5);
  public TlsConfig tls;
  public Duration cleanupInterval = Duration.ofMinutes(1);
  public Duration initialAccessExpiration = Duration.ofMinutes(30);
  public Duration maxBundleAge;
  public long maxTotalSize;
  public long maxNamespaceSize;
  public UploadAuthConfig uploadAuth = UploadAuthConfig.none();
  /** Tests watch no cluster unless they give one: a developer's ~/.kube/config must not leak in. */
  public String kubernetesMaster;
  public Duration ownerGracePeriod = Duration.ofMinutes(5);
  public Duration blobGrace = Duration.ofHours(1);
  /** Null: the storage {@link TestStorage} picks for the data directory. */
  public S3Config s3;
  public int acceptQueue = 4096;
  /** 0: sized from the JVM's direct memory, as in production. */
  public int maxDownloads;
  public List<String> trustedProxies = List.of();
  /** The store's and the server's time: a {@link MutableClock} makes expiry a matter of advancing it. */
  public Clock clock = Clock.systemUTC();

  public ServerConfig toConfig(Path dataDir) {
    return new ServerConfig("127.0.0.1", 0, dataDir, s3 != null ? Optional.of(s3) : TestStorage.forDataDir(dataDir), maxBundleSize,
        minFreeSpace, idleTimeout, minUploadRate, shutdownGrace,
        Optional.ofNullable(tls), cleanupInterval, initialAccessExpiration, Optional.ofNullable(maxBundleAge),
        maxTotalSize, maxNamespaceSize, uploadAuth,
        kubernetesMaster == null ? ServerConfig.KubernetesMode.off : ServerConfig.KubernetesMode.auto,
        Optional.ofNullable(kubernetesMaster),
        ownerGracePeriod, blobGrace, ServerConfig.LogFormat.text, acceptQueue, maxDownloads,
        trustedProxies);
  }
}
