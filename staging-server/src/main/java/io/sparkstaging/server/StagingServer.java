package io.sparkstaging.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sparkstaging.common.config.ConfigException;
import io.sparkstaging.server.auth.FailedAttemptLimiter;
import io.sparkstaging.server.auth.KubernetesAuthenticator;
import io.sparkstaging.server.auth.StaticTokenAuthenticator;
import io.sparkstaging.server.auth.UploadAuthFilter;
import io.sparkstaging.server.auth.UploadAuthenticator;
import io.sparkstaging.server.config.ServerConfig;
import io.sparkstaging.server.config.UploadAuthConfig;
import io.sparkstaging.server.download.DownloadHandler;
import io.sparkstaging.server.download.DownloadSlots;
import io.sparkstaging.server.health.HealthResource;
import io.sparkstaging.server.http.HttpServerFactory;
import io.sparkstaging.server.http.JerseyApplication;
import io.sparkstaging.server.lifecycle.Clusters;
import io.sparkstaging.server.lifecycle.DeleteResource;
import io.sparkstaging.server.lifecycle.Leadership;
import io.sparkstaging.server.lifecycle.OwnerTracker;
import io.sparkstaging.server.lifecycle.Reaper;
import io.sparkstaging.server.lifecycle.RetentionPolicy;
import io.sparkstaging.server.metrics.MetricsResource;
import io.sparkstaging.server.metrics.ServerMetrics;
import io.sparkstaging.server.metrics.StoreMetrics;
import io.sparkstaging.server.store.BundleStore;
import io.sparkstaging.server.token.BundleAccess;
import io.sparkstaging.server.token.SecretIssuer;
import io.sparkstaging.server.upload.BlobResource;
import io.sparkstaging.server.upload.BundleIntake;
import io.sparkstaging.server.upload.ManifestResource;
import io.sparkstaging.server.upload.OwnerParser;
import io.sparkstaging.server.upload.Quotas;
import io.sparkstaging.server.upload.V0UploadResource;
import io.sparkstaging.server.upload.V1UploadResource;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running server: configuration, store, secrets and HTTP wired together. */
public final class StagingServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StagingServer.class);
  private final Server jetty;
  private final Reaper reaper;
  private final Optional<KubernetesClient> cluster;

  private StagingServer(Server jetty, Reaper reaper, Optional<KubernetesClient> cluster) {
    this.jetty = jetty;
    this.reaper = reaper;
    this.cluster = cluster;
  }

  /**
   * Wires the server and starts it. Everything from outside comes in here, so that tests control it:
   *
   * @param clock the time for expiry and cleanup, the store's own
   * @param environment where the cluster and the pod's identity are found ({@code KUBERNETES_*}, {@code POD_NAME}…)
   */
  public static StagingServer start(ServerConfig config, BundleStore store, Clock clock, Map<String, String> environment) throws Exception {
    PrometheusMeterRegistry metrics = ServerMetrics.registry();
    StoreMetrics storeMetrics = StoreMetrics.register(metrics, store);
    var owners = new OwnerParser(new ObjectMapper());
    var access = new BundleAccess(store);
    var quotas = new Quotas(store, config.maxTotalSize(), config.maxNamespaceSize());
    var secrets = new SecretIssuer(new SecureRandom());
    var intake = new BundleIntake(store, secrets, config.maxBundleSize(), quotas);
    Gauge.builder("staging.uploads.in.flight", quotas, Quotas::uploadsInFlight).description("Uploads under way").register(metrics);
    Optional<KubernetesClient> cluster = Clusters.find(config, environment);
    List<Object> resources = new ArrayList<>(List.of(
        new UploadAuthFilter(uploadAuthenticator(config.uploadAuth(), cluster),
            new FailedAttemptLimiter(config.uploadAuth().maxFailures(), config.uploadAuth().lockout()),
            header -> owners.parse(header).ownerNamespace(), metrics),
        new V0UploadResource(intake, owners, config.maxBundleSize(), config.minUploadRate()),
        new V1UploadResource(intake, owners, config.minUploadRate()),
        new DeleteResource(access, store),
        new HealthResource(store),
        new MetricsResource(metrics, storeMetrics)));
    store.blobs().ifPresent(blobs -> {
      resources.add(new BlobResource(blobs, quotas, config.maxBundleSize(), config.minUploadRate()));
      resources.add(new ManifestResource(blobs, owners, secrets, config.maxBundleSize()));
    });
    var jersey = new JerseyApplication(resources.toArray());
    DownloadSlots downloads = config.maxDownloads() > 0 ? new DownloadSlots(config.maxDownloads())
        : DownloadSlots.sizedForDirectMemory(HttpServerFactory.LARGEST_POOLED_BUFFER);
    Gauge.builder("staging.downloads.in.flight", downloads, DownloadSlots::inUse).description("Downloads being streamed").register(metrics);
    Gauge.builder("staging.downloads.max", downloads, DownloadSlots::max).description("Downloads that may be streamed at once")
        .register(metrics);
    Server jetty = HttpServerFactory.create(config, jersey,
        next -> new DownloadHandler(access, store, HttpServerFactory.LARGEST_POOLED_BUFFER, downloads, next), metrics);
    jetty.start();
    var reaper = new Reaper(store, new RetentionPolicy(config.initialAccessExpiration(), config.maxBundleAge()), clock,
        Executors.newSingleThreadScheduledExecutor(runnable -> {
          Thread thread = new Thread(runnable, "staging-reaper");
          thread.setDaemon(true);
          return thread;
        }), cluster.map(OwnerTracker::start), config.ownerGracePeriod(), metrics, leadership(config, cluster, environment));
    reaper.start(config.cleanupInterval());
    return new StagingServer(jetty, reaper, cluster);
  }

  /**
   * Servers sharing a bucket elect the one that runs cleanup; a server on its own data directory
   * (which it locks) or without a cluster to hold a lease in runs it itself.
   */
  private static Leadership leadership(ServerConfig config, Optional<KubernetesClient> cluster, Map<String, String> environment) {
    if (config.s3().isEmpty()) {
      return Leadership.alone();
    }
    if (cluster.isEmpty()) {
      log.info("No cluster to elect a cleanup leader in: this server runs cleanup itself. Other servers on the same bucket "
          + "would do the same work again; harmless, as deletions are idempotent, but give them a cluster to share it");
      return Leadership.alone();
    }
    KubernetesClient client = cluster.get();
    String namespace = Optional.ofNullable(environment.get("POD_NAMESPACE")).or(() -> Optional.ofNullable(client.getNamespace()))
        .orElse("default");
    // Unique even for two servers on one host: equal identities would both believe they hold the lease.
    String identity = environment.getOrDefault("POD_NAME", environment.getOrDefault("HOSTNAME", "staging-server")) + "-"
        + UUID.randomUUID().toString().substring(0, 8);
    return Leadership.elect(client, namespace, config.s3().get().cleanupLease(), identity, Leadership.Timing.DEFAULT);
  }

  private static UploadAuthenticator uploadAuthenticator(UploadAuthConfig auth, Optional<KubernetesClient> cluster) {
    return switch (auth.mode()) {
      case none -> UploadAuthenticator.NONE;
      case token -> auth.tokenFile().map(StaticTokenAuthenticator::ofFile)
          .orElseGet(() -> StaticTokenAuthenticator.ofToken(auth.token().orElseThrow()));
      case kubernetes -> new KubernetesAuthenticator(cluster.orElseThrow(() -> new ConfigException(
          "--upload-auth kubernetes needs a cluster: run in one, or give --kubernetes-master or a kubeconfig")), auth.decisionCache());
    };
  }

  /** The API server watched for owner-aware cleanup, if any. */
  public Optional<String> watchedCluster() {
    return cluster.map(client -> client.getConfiguration().getMasterUrl());
  }

  /** The bound port: the configured one, or the one the system picked for port 0. */
  public int port() {
    return ((NetworkConnector) jetty.getConnectors()[0]).getLocalPort();
  }

  public URI uri() {
    return jetty.getURI();
  }

  public void join() throws InterruptedException {
    jetty.join();
  }

  /** Stops accepting, lets in-flight transfers finish within the grace period, then stops. */
  @Override
  public void close() throws Exception {
    reaper.close();
    cluster.ifPresent(KubernetesClient::close);
    jetty.stop();
  }
}
