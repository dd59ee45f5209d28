package io.sparkstaging.common.wire;

import java.util.List;

/** Which of these SHA-256 digests does the server lack in the namespace? Asked before uploading a bundle by digest. */
public record BlobQuery(List<String> digests) {}
