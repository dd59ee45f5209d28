package io.sparkstaging.init.config;

import io.sparkstaging.common.tls.TrustConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** What one init-container run must put in place, and how. */
public record InitConfig(
    Optional<URI> stagingServer,
    Optional<StagedBundleRef> jars,
    Optional<StagedBundleRef> files,
    List<URI> remoteJars,
    List<URI> remoteFiles,
    List<ArchiveAlias> archives,
    Path jarsDir,
    Path filesDir,
    Path archivesDir,
    Duration timeout,
    TrustConfig trust,
    ExtractLimits limits) {

  /** A file among the fetched files that is unpacked, beside itself, into a directory named {@code alias}. */
  public record ArchiveAlias(String name, String alias) {}

  /** A bundle on the staging server: its id, and the mounted file holding its secret. */
  public record StagedBundleRef(String resourceId, Path secretFile) {}

  /** Caps against decompression bombs and archives with absurd entry counts. */
  public record ExtractLimits(long maxUnpackedBytes, int maxEntries) {}
}
