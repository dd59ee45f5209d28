package io.sparkstaging.server.lifecycle;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this server is the one that runs cleanup. Servers sharing a bucket elect it with a
 * Kubernetes Lease (fabric8's leader election): the holder renews it, and when it stops (crash,
 * partition, shutdown) another takes over once the lease runs out. A server alone, or without a
 * cluster, always leads.
 */
public final class Leadership implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Leadership.class);

  /** Lease timing: how long a lease lasts unrenewed, how long the holder keeps trying to renew, and how often candidates try. */
  public record Timing(Duration lease, Duration renewDeadline, Duration retryPeriod) {
    /** client-go's defaults: a crashed leader is replaced within 15 s. */
    public static final Timing DEFAULT = new Timing(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));
  }

  private volatile boolean leading;
  private volatile boolean closed;
  private LeaderElector elector;
  private ExecutorService executor;
  private volatile CompletableFuture<?> running;

  private Leadership(boolean leading) {
    this.leading = leading;
  }

  public static Leadership alone() {
    return new Leadership(true);
  }

  /** Starts competing for the lease {@code namespace/name} as {@code identity}; not leading until it is won. */
  public static Leadership elect(KubernetesClient client, String namespace, String name, String identity, Timing timing) {
    var leadership = new Leadership(false);
    var config = new LeaderElectionConfigBuilder()
        .withName(name)
        .withLock(new LeaseLock(namespace, name, identity))
        .withLeaseDuration(timing.lease())
        .withRenewDeadline(timing.renewDeadline())
        .withRetryPeriod(timing.retryPeriod())
        .withReleaseOnCancel(true)
        .withLeaderCallbacks(new LeaderCallbacks(
            () -> {
              leadership.leading = true;
              log.info("This server ({}) now runs cleanup: it holds the lease {}/{}", identity, namespace, name);
            },
            () -> {
              leadership.leading = false;
              log.info("This server ({}) no longer runs cleanup", identity);
            },
            leader -> log.info("Cleanup runs on {}", leader)))
        .build();
    leadership.executor = Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, "staging-leader-election");
      thread.setDaemon(true);
      return thread;
    });
    leadership.elector = new LeaderElector(client, config, leadership.executor);
    leadership.compete(timing.retryPeriod());
    return leadership;
  }

  private void compete(Duration retryPeriod) {
    running = elector.start();
    // A run ends when the lease is lost or cannot be renewed: stand again, after a pause, so that
    // a run failing at once (an API server refusing) cannot become a busy loop.
    running.whenComplete((ignored, failure) -> {
      leading = false;
      if (!closed) {
        CompletableFuture.runAsync(() -> {
          if (!closed) {
            compete(retryPeriod);
          }
        }, CompletableFuture.delayedExecutor(retryPeriod.toMillis(), TimeUnit.MILLISECONDS, executor));
      }
    });
  }

  public boolean isLeader() {
    return leading;
  }

  /** Gives the lease up, so that another server takes over at once rather than when it runs out. */
  @Override
  public void close() {
    closed = true;
    leading = false;
    if (running != null) {
      running.cancel(true);
    }
    if (executor != null) {
      executor.shutdownNow();
    }
  }
}
