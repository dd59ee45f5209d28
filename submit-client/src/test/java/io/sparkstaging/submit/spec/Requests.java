package io.sparkstaging.submit.spec;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Submissions for tests: sensible defaults, and each test overrides only what it is about. */
final class Requests {
  String appName = "Word Count";
  String mainClass = "org.example.WordCount";
  String primaryResource = "/home/me/app.jar";
  List<String> appArgs = List.of("in.txt");
  List<String> jars = List.of();
  List<String> files = List.of();
  Map<String, String> conf = new HashMap<>();
  String namespace = "spark-jobs";

  SubmitRequest build() {
    return new SubmitRequest(appName, mainClass, primaryResource, appArgs, jars, files, conf, namespace, "apache/spark:3.5.6",
        "registry.example.com/spark-staging-init:0.1.0", Optional.of(URI.create("https://staging.example.com")),
        Optional.of(URI.create("http://spark-staging.spark.svc:10000")));
  }
}
