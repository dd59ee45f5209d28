package io.sparkstaging.submit.frontend;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.sparkstaging.submit.stage.StageFailure;
import io.sparkstaging.submit.stage.StagedBundle;
import io.sparkstaging.submit.stage.StagingClient;
import java.io.PrintWriter;

/**
 * Removes what a front end made for an application that will not run, best effort: a failure is
 * said in one line and the rest goes on, since a bundle nobody downloads expires on the server anyway.
 */
public final class Cleanup {
  private Cleanup() {}

  public static void delete(KubernetesClient client, String namespace, HasMetadata resource, PrintWriter err) {
    try {
      client.resource(resource).inNamespace(namespace).delete();
    } catch (KubernetesClientException e) {
      err.println("submit-client: could not delete " + resource.getKind() + " " + resource.getMetadata().getName() + ": " + e.getMessage());
    }
  }

  public static void delete(StagingClient staging, StagedBundle bundle, PrintWriter err) {
    try {
      staging.delete(bundle);
    } catch (StageFailure e) {
      err.println("submit-client: " + e.getMessage() + " (the server's expiry will remove it)");
    }
  }
}
