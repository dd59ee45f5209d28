package io.sparkstaging.server.support;

import io.sparkstaging.server.config.S3Config;
import io.sparkstaging.server.config.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The storage a test server runs on: the local data directory, or, with {@code
 * -Dstaging.test.storage=s3}, a bucket of its own in one S3Proxy shared by the whole test JVM.
 * Each data directory maps to one bucket, so a server restarted on the same directory finds the
 * same bundles, as it would on disk.
 */
public final class TestStorage {
  public static final String PREFIX = "staging/";
  private static final Map<Path, String> BUCKETS = new ConcurrentHashMap<>();
  private static S3ProxyServer proxy;
  private static S3Client client;

  private TestStorage() {}

  public static boolean isS3() {
    return "s3".equals(System.getProperty("staging.test.storage"));
  }

  /** The S3 settings for a server over {@code dataDir}, when the tests run on S3. */
  static Optional<S3Config> forDataDir(Path dataDir) {
    return isS3() ? Optional.of(s3(bucketFor(dataDir), dataDir, Optional.empty())) : Optional.empty();
  }

  /** S3 settings for a given bucket: 5 MiB parts, so that the tests' bundles take the multipart path too. */
  public static S3Config s3(String bucket, Path dataDir, Optional<Duration> downloadRedirect) {
    Path spool = dataDir.resolve("spool");
    try {
      Files.createDirectories(spool);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new S3Config(bucket, PREFIX, Optional.of(proxy().endpoint()), Optional.of("us-east-1"), true, S3Config.MIN_PART_SIZE, spool,
        downloadRedirect, "spark-staging-server-cleanup");
  }

  public static String bucketFor(Path dataDir) {
    return BUCKETS.computeIfAbsent(dataDir.toAbsolutePath(), dir -> proxy().newBucket());
  }

  /** Objects a server stored, bundles and leftovers alike. */
  public static long storedObjects(ServerConfig config) throws IOException {
    if (config.s3().isEmpty()) {
      Path bundles = config.dataDir().resolve("bundles");
      return Files.isDirectory(bundles) ? Bundles.filesUnder(bundles) : 0;
    }
    S3Config s3 = config.s3().get();
    return client().listObjectsV2Paginator(list -> list.bucket(s3.bucket()).prefix(s3.prefix())).contents().stream().count();
  }

  /** Uploads under way: incoming directories, or spooled parts and multipart uploads. */
  public static long partialUploads(ServerConfig config) throws IOException {
    if (config.s3().isEmpty()) {
      Path incoming = config.dataDir().resolve("incoming");
      return Files.isDirectory(incoming) ? Bundles.filesUnder(incoming) + Bundles.directoriesUnder(incoming) : 0;
    }
    S3Config s3 = config.s3().get();
    return spooledParts(s3.spoolDir()) + client().listMultipartUploads(list -> list.bucket(s3.bucket())).uploads().size();
  }

  /** Part files under a spool directory; not the lock each server holds there. */
  public static long spooledParts(Path spoolDir) throws IOException {
    try (var files = Files.walk(spoolDir)) {
      return files.filter(Files::isRegularFile).filter(file -> !file.getFileName().toString().equals(".lock")).count();
    }
  }

  public static synchronized S3ProxyServer proxy() {
    if (proxy == null) {
      try {
        proxy = S3ProxyServer.start();
      } catch (Exception e) {
        throw new IllegalStateException("S3Proxy did not start", e);
      }
      // The server finds credentials the standard SDK way; system properties come first.
      System.setProperty("aws.accessKeyId", S3ProxyServer.ACCESS_KEY);
      System.setProperty("aws.secretAccessKey", S3ProxyServer.SECRET_KEY);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          proxy.close();
        } catch (Exception ignored) {
          // The JVM is ending.
        }
      }));
    }
    return proxy;
  }

  public static synchronized S3Client client() {
    if (client == null) {
      client = proxy().client();
    }
    return client;
  }
}
