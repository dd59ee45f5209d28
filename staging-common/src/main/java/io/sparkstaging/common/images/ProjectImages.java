package io.sparkstaging.common.images;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The project's two images as this build names them: {@code REGISTRY/spark-staging-server:TAG} and
 * {@code REGISTRY/spark-staging-init:TAG}, the tag being the project's version. The submit client's
 * default init-container image is the one of its own version; the manifests, the chart and the
 * image checks are held to the same names by tests.
 */
public final class ProjectImages {
  public static final String SERVER_NAME = "spark-staging-server";
  public static final String INIT_NAME = "spark-staging-init";

  private static final Properties BUILD = load();

  private ProjectImages() {}

  /** The registry and repository prefix, e.g. {@code registry.example.com/spark}. */
  public static String registry() {
    return BUILD.getProperty("registry");
  }

  public static String tag() {
    return BUILD.getProperty("tag");
  }

  public static String server() {
    return registry() + "/" + SERVER_NAME + ":" + tag();
  }

  public static String init() {
    return registry() + "/" + INIT_NAME + ":" + tag();
  }

  private static Properties load() {
    var properties = new Properties();
    try (InputStream in = ProjectImages.class.getResourceAsStream("images.properties")) {
      if (in == null) {
        throw new IllegalStateException("images.properties is missing from the build");
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties;
  }
}
