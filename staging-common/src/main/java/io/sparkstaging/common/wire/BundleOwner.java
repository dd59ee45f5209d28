package io.sparkstaging.common.wire;

import java.util.Map;

/**
 * Who a bundle belongs to: the pods in {@code ownerNamespace} that carry all of {@code
 * ownerLabels}. Field names are those of the original server's {@code resourcesOwner} part, and v1
 * uses the same document.
 */
public record BundleOwner(String ownerNamespace, Map<String, String> ownerLabels, OwnerType ownerType) {
  public BundleOwner {
    ownerLabels = Map.copyOf(ownerLabels);
  }

  /** The kinds of Kubernetes object that can own a bundle. */
  public enum OwnerType {
    Pod
  }
}
