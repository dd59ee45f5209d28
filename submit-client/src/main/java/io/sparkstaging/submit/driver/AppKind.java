package io.sparkstaging.submit.driver;

import io.sparkstaging.common.config.ConfigException;
import java.util.Locale;

/** What the primary resource is, told by its name as spark-submit tells it. */
public enum AppKind {
  JAVA("java", 0.1),
  PYTHON("python", 0.4);

  /** The class Spark runs a Python application with; spark-submit sets it, the user does not. */
  public static final String PYTHON_RUNNER = "org.apache.spark.deploy.PythonRunner";

  /** {@code spark.kubernetes.resource.type}. */
  public final String resourceType;
  /** Spark's default memory overhead factor: non-JVM processes need room beside the heap. */
  public final double defaultOverheadFactor;

  AppKind(String resourceType, double defaultOverheadFactor) {
    this.resourceType = resourceType;
    this.defaultOverheadFactor = defaultOverheadFactor;
  }

  /** @throws ConfigException for an R application */
  public static AppKind of(String primaryResource) {
    String name = primaryResource.toLowerCase(Locale.ROOT);
    if (name.endsWith(".r")) {
      throw new ConfigException(primaryResource + ": R applications are not supported (SparkR is deprecated as of Spark 4.0)");
    }
    return name.endsWith(".py") ? PYTHON : JAVA;
  }
}
