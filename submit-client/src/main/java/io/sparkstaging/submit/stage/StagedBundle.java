package io.sparkstaging.submit.stage;

import io.sparkstaging.common.units.ByteSize;

/** A bundle on the staging server, the only copy of its secret, and what staging it sent. */
public record StagedBundle(String resourceId, String resourceSecret, long size, String sha256, Transfer transfer) {
  /** A bundle for which nothing was sent: a placeholder, or one made elsewhere. */
  public StagedBundle(String resourceId, String resourceSecret, long size, String sha256) {
    this(resourceId, resourceSecret, size, sha256, new Transfer(0, 0, 0, 0));
  }

  /** The bundle's files and bytes, and how many of them went over the wire. */
  public record Transfer(int files, long bytes, int filesSent, long bytesSent) {
    /** e.g. "100 files (300 MiB): 1 uploaded (3 MiB), 99 already on the server". */
    public String describe() {
      String all = files + (files == 1 ? " file" : " files") + " (" + ByteSize.readable(bytes) + ")";
      if (filesSent == files) {
        return all + ": all uploaded";
      }
      return all + ": " + filesSent + " uploaded (" + ByteSize.readable(bytesSent) + "), " + (files - filesSent) + " already on the server";
    }
  }

  @Override
  public String toString() {
    return "StagedBundle[" + resourceId + ", " + size + " bytes, secret redacted]";
  }
}
