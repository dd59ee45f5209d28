package io.sparkstaging.init.extract;

import io.sparkstaging.common.wire.BundleFormat;
import io.sparkstaging.common.wire.ManifestFile;
import io.sparkstaging.init.verify.ContentRejected;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Writes the files of a bundle staged by digest into an empty directory, one call per file, from
 * any number of threads: a manifest's names are plain and each is used once, so files cannot
 * collide or nest, and each is still checked to land inside the directory.
 */
public final class ManifestFiles {
  private static final int COPY_BUFFER_BYTES = 128 * 1024;

  private final Path destination;

  public ManifestFiles(Path destination) {
    this.destination = destination;
  }

  public void write(ManifestFile file, InputStream content) throws IOException {
    Path target = EntryWriter.safeTarget(destination, file.name(), false);
    if (!target.getParent().equals(destination)) {
      throw new ContentRejected("unsafe bundle: file '" + file.name() + "' does not land in the target directory");
    }
    EntryWriter.writeNew(target, file.name(), content, BundleFormat.isExecutable(file.mode()), new byte[COPY_BUFFER_BYTES]);
  }
}
