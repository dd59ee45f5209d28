package io.sparkstaging.server.lifecycle;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.sparkstaging.common.wire.BundleOwner;
import java.util.Map;

/**
 * Knows which bundle owners still have pods, from two informers: label-selected Spark pods in all
 * namespaces, and namespaces. A watch and a local cache, so the load on the API server does not
 * grow with the number of bundles; fabric8 re-lists and re-watches after errors and API-server
 * restarts.
 */
public final class OwnerTracker implements AutoCloseable {
  /** Every pod a Spark application creates carries it; owners without it are left to expiry. */
  static final String SELECTOR_LABEL = "spark-app-selector";

  /** What the caches say about an owner. */
  public enum Presence {
    PRESENT,
    ABSENT,
    NAMESPACE_GONE,
    /** The caches are not synced or not watching: decide nothing. */
    UNKNOWN
  }

  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<Namespace> namespaces;

  private OwnerTracker(SharedIndexInformer<Pod> pods, SharedIndexInformer<Namespace> namespaces) {
    this.pods = pods;
    this.namespaces = namespaces;
  }

  /** Starts both informers without waiting for them: until they sync, every owner is {@link Presence#UNKNOWN}. */
  public static OwnerTracker start(KubernetesClient client) {
    SharedIndexInformer<Pod> pods = client.pods().inAnyNamespace().withLabel(SELECTOR_LABEL).runnableInformer(0);
    SharedIndexInformer<Namespace> namespaces = client.namespaces().runnableInformer(0);
    pods.start();
    namespaces.start();
    return new OwnerTracker(pods, namespaces);
  }

  public Presence presence(BundleOwner owner) {
    // An empty cache from a failing watch must never read as "every owner is gone".
    if (!pods.hasSynced() || !namespaces.hasSynced() || !pods.isWatching() || !namespaces.isWatching()) {
      return Presence.UNKNOWN;
    }
    Namespace namespace = namespaces.getStore().getByKey(owner.ownerNamespace());
    // A namespace being deleted is as good as gone: Kubernetes is removing its pods already.
    if (namespace == null || namespace.getMetadata().getDeletionTimestamp() != null
        || (namespace.getStatus() != null && "Terminating".equals(namespace.getStatus().getPhase()))) {
      return Presence.NAMESPACE_GONE;
    }
    for (Pod pod : pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, owner.ownerNamespace())) {
      Map<String, String> labels = pod.getMetadata().getLabels();
      if (labels != null && labels.entrySet().containsAll(owner.ownerLabels().entrySet())) {
        return Presence.PRESENT;
      }
    }
    return Presence.ABSENT;
  }

  @Override
  public void close() {
    pods.stop();
    namespaces.stop();
  }
}
