package io.sparkstaging.submit.driver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Submissions for tests: sensible defaults, and each test overrides only what it is about. */
final class Requests {
  private static final Path FILES = temporaryDirectory();

  String appName = "Word Count";
  AppKind kind = AppKind.JAVA;
  String mainClass = "org.example.WordCount";
  String primaryResource = local("app.jar");
  List<String> appArgs = List.of("in.txt");
  List<String> jars = List.of();
  List<String> files = List.of();
  List<String> pyFiles = List.of();
  List<String> archives = List.of();
  Map<String, String> conf = new HashMap<>();
  Map<String, String> confFiles = Map.of();
  Map<String, String> environment = Map.of();
  String proxyUser;
  SubmitRequest.Templates templates = SubmitRequest.Templates.none();
  String namespace = "spark-jobs";
  String initImage = "registry.example.com/spark-staging-init:0.1.0";

  SubmitRequest build() {
    return new SubmitRequest(appName, kind, mainClass, primaryResource, appArgs,
        new SubmitRequest.Dependencies(jars, files, pyFiles, archives),
        conf, confFiles, proxyUser, environment, templates, namespace, "apache/spark:3.5.6",
        initImage, Optional.of(URI.create("https://staging.example.com")), Optional.of(URI.create("http://spark-staging.spark.svc:10000")));
  }

  /** A file on "the submitter's machine", created on first use; a name may carry directories. */
  static String local(String name) {
    Path file = FILES.resolve(name);
    try {
      Files.createDirectories(file.getParent());
      if (!Files.exists(file)) {
        Files.writeString(file, name);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file.toString();
  }

  private static Path temporaryDirectory() {
    try {
      Path dir = Files.createTempDirectory("requests");
      dir.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
