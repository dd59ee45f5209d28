package io.sparkstaging.submit.deps;

import io.sparkstaging.spark.PodFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The staging plugin's jar, built into this client's jar, as a file that can be staged. */
public final class PluginJar {
  private static final String RESOURCE = "/io/sparkstaging/submit/" + PodFiles.JAR_NAME;
  private static Path extracted;

  private PluginJar() {}

  public static synchronized Path path() {
    if (extracted == null) {
      try (InputStream jar = PluginJar.class.getResourceAsStream(RESOURCE)) {
        if (jar == null) {
          throw new IllegalStateException(RESOURCE + " is missing from the client's jar: build it with mvn package");
        }
        Path file = Files.createTempFile("spark-staging-plugin", ".jar");
        file.toFile().deleteOnExit();
        Files.copy(jar, file, StandardCopyOption.REPLACE_EXISTING);
        extracted = file;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot extract the staging plugin's jar", e);
      }
    }
    return extracted;
  }
}
