package io.sparkstaging.submit.spec;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One application submission, as spark-submit's options describe it.
 *
 * @param conf every Spark property: properties file, then {@code --conf}, then the dedicated flags
 * @param stagingServer where the client uploads bundles
 * @param internalStagingServer where the pods download them (defaults to {@code stagingServer})
 */
public record SubmitRequest(
    String appName,
    String mainClass,
    String primaryResource,
    List<String> appArgs,
    List<String> jars,
    List<String> files,
    Map<String, String> conf,
    String namespace,
    String sparkImage,
    String initImage,
    Optional<URI> stagingServer,
    Optional<URI> internalStagingServer) {

  public SubmitRequest {
    appArgs = List.copyOf(appArgs);
    jars = List.copyOf(jars);
    files = List.copyOf(files);
    conf = Map.copyOf(conf);
  }

  public String conf(String key, String fallback) {
    return conf.getOrDefault(key, fallback);
  }

  public Optional<URI> podStagingServer() {
    return internalStagingServer.or(() -> stagingServer);
  }
}
