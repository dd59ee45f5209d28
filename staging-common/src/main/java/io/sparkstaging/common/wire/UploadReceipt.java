package io.sparkstaging.common.wire;

/**
 * The v0 answer to an upload. Exactly these two fields: the original client's JSON mapper fails on
 * unknown properties, so adding a field here would break it.
 */
public record UploadReceipt(String resourceId, String resourceSecret) {}
