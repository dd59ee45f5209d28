package io.sparkstaging.server.config;

import io.sparkstaging.common.config.ConfigException;
import io.sparkstaging.common.units.ByteSize;
import io.sparkstaging.common.units.DurationText;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where and how bundles live in an S3-compatible object store. Credentials are not here: the SDK
 * finds them the standard way (environment, profile, web identity, instance role).
 *
 * @param prefix the key prefix, empty or ending in {@code /}
 * @param region empty to let the SDK find it
 * @param partSize the size of each multipart-upload part; an upload spools two at most
 * @param spoolDir where parts wait on local disk before they are sent
 * @param downloadRedirect when present, v1 downloads are answered with a redirect to a presigned
 *     URL valid this long
 * @param cleanupLease the Kubernetes Lease that elects the replica running cleanup
 */
public record S3Config(String bucket, String prefix, Optional<URI> endpoint, Optional<String> region, boolean pathStyle, long partSize,
    Path spoolDir, Optional<Duration> downloadRedirect, String cleanupLease) {
  /** S3's limits on a multipart upload's parts. */
  public static final long MIN_PART_SIZE = 5L << 20;
  public static final long MAX_PART_SIZE = 5L << 30;
  /** S3's bucket naming rules, loosely: what a URL host label allows. */
  private static final Pattern LOCATION = Pattern.compile("s3://([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:/(.*))?");

  /** Bucket and prefix from {@code s3://BUCKET/PREFIX}; the prefix may be empty and gets a trailing slash. */
  static String[] parseLocation(String storage) {
    Matcher matcher = LOCATION.matcher(storage);
    if (!matcher.matches()) {
      throw new ConfigException("--storage must be local or s3://BUCKET[/PREFIX] (a bucket name of lower-case letters, digits, dots and "
          + "dashes), got " + storage);
    }
    String prefix = matcher.group(2) == null ? "" : matcher.group(2).replaceAll("/+$", "");
    if (prefix.startsWith("/") || prefix.contains("//")) {
      throw new ConfigException("--storage " + storage + ": the prefix must not contain empty path segments");
    }
    return new String[] {matcher.group(1), prefix.isEmpty() ? "" : prefix + "/"};
  }

  public String describe() {
    return "s3://" + bucket + "/" + prefix + endpoint.map(uri -> " at " + uri).orElse("") + region.map(r -> ", region " + r).orElse("")
        + (pathStyle ? ", path-style" : "") + ", parts of " + ByteSize.format(partSize)
        + downloadRedirect.map(ttl -> ", presigned download redirects valid " + DurationText.format(ttl)).orElse("");
  }
}
