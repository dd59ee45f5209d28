package io.sparkstaging.server.store.s3;

import io.sparkstaging.server.store.BundleRecord;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * Everything an upload in progress needs from its store: where parts are spooled and sent, and
 * how a complete bundle is published.
 *
 * @param partSender sends a part while the upload spools the next
 * @param publisher makes a bundle whose content is stored visible
 */
record UploadTarget(S3Bucket bucket, SpoolDirectory spool, ExecutorService partSender, long partSize, Clock clock,
    Consumer<BundleRecord> publisher) {}
