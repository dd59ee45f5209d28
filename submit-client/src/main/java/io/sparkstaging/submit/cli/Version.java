package io.sparkstaging.submit.cli;

import io.sparkstaging.common.images.ProjectImages;
import java.util.Optional;
import picocli.CommandLine.IVersionProvider;

/** The version the build wrote into the jar's manifest. */
final class Version implements IVersionProvider {
  static String text() {
    return Optional.ofNullable(Version.class.getPackage().getImplementationVersion()).orElse("(development build)");
  }

  @Override
  public String[] getVersion() {
    return new String[] {"spark-staging " + text(),
        "Submits to Apache Spark 3.5 and 4.0 on Kubernetes; Java " + System.getProperty("java.version"),
        "Init-container image: " + ProjectImages.init()};
  }
}
