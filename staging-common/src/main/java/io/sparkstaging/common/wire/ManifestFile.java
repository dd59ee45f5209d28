package io.sparkstaging.common.wire;

/**
 * One file of a bundle staged by digest: the name it gets in the pod, and what its bytes are.
 *
 * @param sha256 the SHA-256 of its bytes, 64 lower-case hex digits
 * @param mode its permission bits, {@link BundleFormat#FILE_MODE} or {@link BundleFormat#EXECUTABLE_MODE} as the client writes them
 */
public record ManifestFile(String name, String sha256, long size, int mode) {}
