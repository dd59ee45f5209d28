package io.sparkstaging.submit.driver;

import io.sparkstaging.common.images.ProjectImages;
import io.sparkstaging.submit.pod.PodTemplate;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One application submission, as spark-submit's options describe it, after {@code --packages}
 * were resolved into {@code jars}.
 *
 * @param mainClass the user's class for a Java app; Spark's Python runner for a Python one
 * @param conf every Spark property: defaults file, then {@code --conf}, then the dedicated flags
 * @param confFiles the submitter's Spark configuration files (log4j2.properties…) for the driver's conf directory
 * @param proxyUser the user the driver runs the application as, or null
 * @param environment the submitter's environment, of which Spark's client reads the Python choices
 * @param templates the user's driver and executor pod templates, read from their files
 * @param stagingServer where the client uploads bundles
 * @param initImage the init-container's image; null for this version's own ({@link ProjectImages#init()})
 * @param internalStagingServer where the pods download them (defaults to {@code stagingServer})
 */
public record SubmitRequest(
    String appName,
    AppKind kind,
    String mainClass,
    String primaryResource,
    List<String> appArgs,
    Dependencies dependencies,
    Map<String, String> conf,
    Map<String, String> confFiles,
    String proxyUser,
    Map<String, String> environment,
    Templates templates,
    String namespace,
    String sparkImage,
    String initImage,
    Optional<URI> stagingServer,
    Optional<URI> internalStagingServer) {

  /** The dependencies as the user gave them: each entry a path (a glob, a directory) or a URI. */
  public record Dependencies(List<String> jars, List<String> files, List<String> pyFiles, List<String> archives) {
    public Dependencies {
      jars = List.copyOf(jars);
      files = List.copyOf(files);
      pyFiles = List.copyOf(pyFiles);
      archives = List.copyOf(archives);
    }

    public static Dependencies none() {
      return new Dependencies(List.of(), List.of(), List.of(), List.of());
    }
  }

  /** The user's pod templates, if any: the base of the driver pod and of the executor template. */
  public record Templates(Optional<PodTemplate> driver, Optional<PodTemplate> executor) {
    public static Templates none() {
      return new Templates(Optional.empty(), Optional.empty());
    }
  }

  public SubmitRequest {
    initImage = initImage == null ? ProjectImages.init() : initImage;
    appArgs = List.copyOf(appArgs);
    conf = Map.copyOf(conf);
    confFiles = Map.copyOf(confFiles);
    environment = Map.copyOf(environment);
  }

  public String conf(String key, String fallback) {
    return conf.getOrDefault(key, fallback);
  }

  /** The properties under {@code prefix}, keyed by the rest of their name, sorted. */
  public Map<String, String> confWithPrefix(String prefix) {
    var values = new TreeMap<String, String>();
    conf.forEach((key, value) -> {
      if (key.startsWith(prefix)) {
        values.put(key.substring(prefix.length()), value);
      }
    });
    return values;
  }

  public Optional<URI> podStagingServer() {
    return internalStagingServer.or(() -> stagingServer);
  }
}
