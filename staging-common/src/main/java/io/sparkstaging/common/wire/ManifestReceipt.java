package io.sparkstaging.common.wire;

/**
 * The answer to a {@link ManifestCommit}: the bundle's id and secret, as for an upload, and what the
 * client checks the server committed, the number of files, their bytes and {@link Manifest#sha256()}.
 */
public record ManifestReceipt(String resourceId, String resourceSecret, int files, long bytes, String manifestSha256) {}
