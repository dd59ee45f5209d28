package io.sparkstaging.submit.spec;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where each dependency comes from: local files (no scheme or {@code file:}) are staged; {@code
 * http(s)} URIs are fetched by the init-container; {@code local:} and other schemes (s3a, hdfs)
 * are left to Spark.
 */
public record DependencyPlan(List<Path> localJars, List<URI> remoteJars, List<String> keptJars,
    List<Path> localFiles, List<URI> remoteFiles, List<String> keptFiles) {

  /** The primary resource counts as a jar: cluster-mode Spark expects it in {@code spark.jars} too. */
  public static DependencyPlan of(SubmitRequest request) {
    var jars = new ArrayList<String>();
    if (request.primaryResource() != null && !request.primaryResource().isBlank()) {
      jars.add(request.primaryResource());
    }
    request.jars().stream().filter(jar -> !jars.contains(jar)).forEach(jars::add);
    var localJars = new ArrayList<Path>();
    var remoteJars = new ArrayList<URI>();
    var keptJars = new ArrayList<String>();
    classify(jars, localJars, remoteJars, keptJars);
    var localFiles = new ArrayList<Path>();
    var remoteFiles = new ArrayList<URI>();
    var keptFiles = new ArrayList<String>();
    classify(request.files(), localFiles, remoteFiles, keptFiles);
    return new DependencyPlan(localJars, remoteJars, keptJars, localFiles, remoteFiles, keptFiles);
  }

  private static void classify(List<String> uris, List<Path> local, List<URI> remote, List<String> kept) {
    for (String text : uris) {
      URI uri = URI.create(text.strip());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      switch (scheme) {
        case "", "file" -> local.add(scheme.isEmpty() ? Path.of(text.strip()) : Path.of(uri));
        case "http", "https" -> remote.add(uri);
        default -> kept.add(text.strip());
      }
    }
  }

  public boolean needsInitContainer() {
    return !localJars.isEmpty() || !remoteJars.isEmpty() || !localFiles.isEmpty() || !remoteFiles.isEmpty();
  }
}
