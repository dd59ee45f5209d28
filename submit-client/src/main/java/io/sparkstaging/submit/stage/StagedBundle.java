package io.sparkstaging.submit.stage;

/** A bundle on the staging server and the only copy of its secret. */
public record StagedBundle(String resourceId, String resourceSecret, long size, String sha256) {
  @Override
  public String toString() {
    return "StagedBundle[" + resourceId + ", " + size + " bytes, secret redacted]";
  }
}
