package io.sparkstaging.spark;

/**
 * The Spark properties through which the submit client tells {@link StagedFilesPlugin} what the
 * init-container put in the pod. This class refers to nothing of Spark's, so the client can use it.
 */
public final class PodFiles {
  /** The directory, the same in the driver and every executor, that the init-container filled. */
  public static final String DIR = "spark.kubernetes.staging.podFilesDir";
  /** Comma-separated names in that directory: files and Python files. */
  public static final String NAMES = "spark.kubernetes.staging.podFiles";
  /** The directory where the init-container unpacked archives, each under its alias. */
  public static final String ARCHIVES_DIR = "spark.kubernetes.staging.podArchivesDir";
  /** Comma-separated aliases in that directory. */
  public static final String ARCHIVES = "spark.kubernetes.staging.podArchives";
  /** The plugin's class name, for {@code spark.plugins}. */
  public static final String PLUGIN_CLASS = "io.sparkstaging.spark.StagedFilesPlugin";
  /** The jar's name in the pod's jars directory. */
  public static final String JAR_NAME = "spark-staging-plugin.jar";

  private PodFiles() {}
}
