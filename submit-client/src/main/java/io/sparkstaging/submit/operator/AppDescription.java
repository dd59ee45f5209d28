package io.sparkstaging.submit.operator;

import io.sparkstaging.submit.driver.AppKind;
import io.sparkstaging.submit.driver.SubmitRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a SparkApplication says of its application, in the terms of a spark-submit command line.
 *
 * @param conf every Spark property the operator would pass, the dependency lists and packages included
 */
public record AppDescription(AppKind kind, String mainClass, String primaryResource, List<String> appArgs,
    SubmitRequest.Dependencies dependencies,
    Map<String, String> conf, Optional<String> proxyUser, SubmitRequest.Templates templates) {

  public AppDescription {
    appArgs = List.copyOf(appArgs);
    conf = Map.copyOf(conf);
  }
}
