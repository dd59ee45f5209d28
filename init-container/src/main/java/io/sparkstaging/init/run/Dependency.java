package io.sparkstaging.init.run;

import io.sparkstaging.common.wire.RemoteFileNames;
import io.sparkstaging.common.wire.Routes;
import io.sparkstaging.init.config.InitConfig.StagedBundleRef;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/** One thing the run must put in place. */
sealed interface Dependency {
  /** How the failure line names it, e.g. "jars bundle 3f0c… from http://staging:10000". */
  String describe();

  Path targetDir();

  /** A bundle on the staging server, unpacked into the target. */
  record StagedBundle(String kind, URI server, StagedBundleRef ref, Path targetDir) implements Dependency {
    /** v1, with {@code Authorization: Bearer SECRET}: the route the server may answer with a presigned redirect. */
    URI downloadUri() {
      return URI.create(server + Routes.v1Bundle(ref.resourceId()));
    }

    /** v0, with the bare secret as {@code Authorization}: the original server's only route. */
    URI originalDownloadUri() {
      return URI.create(server + Routes.v0Resource(ref.resourceId()));
    }

    @Override
    public String describe() {
      return kind + " bundle " + ref.resourceId() + " from " + server.getScheme() + "://" + server.getAuthority();
    }
  }

  /** A file behind an http(s) URI, saved into the target under the last segment of its path. */
  record RemoteFile(String kind, URI uri, Path targetDir) implements Dependency {
    /** Empty if the URI's path ends in no usable file name. */
    Optional<String> fileName() {
      return RemoteFileNames.of(uri);
    }

    @Override
    public String describe() {
      // Without the query: it may carry a token.
      return "remote " + kind + " " + uri.getScheme() + "://" + uri.getAuthority() + uri.getRawPath();
    }
  }
}
