package io.sparkstaging.submit.apply;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.sparkstaging.submit.driver.DriverSpec;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates a driver spec's objects: the pod first, then every other object with the pod as its
 * controller owner, so that Kubernetes deletes them with it (as Spark's own client does). If any
 * creation fails, what was already created is deleted.
 */
public final class ObjectApplier {
  private final KubernetesClient client;
  private final PrintWriter err;
  private final KubernetesSerialization serialization = new KubernetesSerialization();

  public ObjectApplier(KubernetesClient client, PrintWriter err) {
    this.client = client;
    this.err = err;
  }

  public Pod apply(DriverSpec spec) throws SubmitFailure {
    String namespace = spec.pod().getMetadata().getNamespace();
    Pod pod = null;
    var created = new ArrayList<HasMetadata>();
    HasMetadata current = spec.pod();
    try {
      pod = client.pods().inNamespace(namespace).resource(spec.pod()).create();
      OwnerReference owner = ownedBy(pod);
      for (HasMetadata resource : spec.resources()) {
        current = resource;
        HasMetadata owned = serialization.clone(resource);
        owned.getMetadata().setOwnerReferences(List.of(owner));
        created.add(client.resource(owned).inNamespace(namespace).create());
      }
      return pod;
    } catch (KubernetesClientException e) {
      rollback(namespace, pod, created);
      throw new SubmitFailure("creating " + current.getKind() + " " + current.getMetadata().getName() + " failed: " + describe(e), e);
    }
  }

  /** The owner reference Spark's client puts on a driver's objects. */
  public static OwnerReference ownedBy(Pod pod) {
    return new OwnerReferenceBuilder().withApiVersion("v1").withKind("Pod").withName(pod.getMetadata().getName())
        .withUid(pod.getMetadata().getUid()).withController(true).build();
  }

  private void rollback(String namespace, Pod pod, List<HasMetadata> created) {
    for (HasMetadata resource : created) {
      deleteQuietly(namespace, resource);
    }
    if (pod != null) {
      deleteQuietly(namespace, pod);
    }
  }

  private void deleteQuietly(String namespace, HasMetadata resource) {
    try {
      client.resource(resource).inNamespace(namespace).delete();
    } catch (KubernetesClientException e) {
      err.println("submit-client: could not delete " + resource.getKind() + " " + resource.getMetadata().getName() + " while rolling back: "
          + describe(e));
    }
  }

  /** The HTTP code and the API server's own message: a 403, 409 or 422 says what to fix. */
  static String describe(KubernetesClientException e) {
    String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
    return (e.getCode() > 0 ? "HTTP " + e.getCode() + ": " : "") + message;
  }
}
