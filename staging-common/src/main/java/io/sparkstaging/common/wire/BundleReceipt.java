package io.sparkstaging.common.wire;

/** The v1 answer to an upload: the v0 fields plus what the client needs to verify the upload. */
public record BundleReceipt(String resourceId, String resourceSecret, long size, String sha256) {}
