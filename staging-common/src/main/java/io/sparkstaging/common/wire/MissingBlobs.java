package io.sparkstaging.common.wire;

import java.util.List;

/**
 * The answer to a {@link BlobQuery}, and the body of a commit refused for want of files: the
 * digests the server does not hold in the namespace, to upload before committing.
 */
public record MissingBlobs(List<String> missing) {}
