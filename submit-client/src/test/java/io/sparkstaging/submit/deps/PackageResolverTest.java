package io.sparkstaging.submit.deps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkstaging.common.config.ConfigException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resolution from a Maven repository on disk, so that no test needs the network. */
class PackageResolverTest {
  @TempDir
  Path repository;
  @TempDir
  Path emptyLocalMaven;
  @TempDir
  Path ivyHome;
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private PackageResolver resolver;

  @BeforeEach
  void repository() throws Exception {
    // app depends on lib, and on Spark itself, which the image has and nobody should download.
    publish("app", "<dependency><groupId>org.example</groupId><artifactId>lib</artifactId><version>2.0</version></dependency>"
        + "<dependency><groupId>org.apache.spark</groupId><artifactId>spark-core_2.12</artifactId><version>3.5.6</version></dependency>"
        + "<dependency><groupId>org.scala-lang</groupId><artifactId>scala-library</artifactId><version>2.12.18</version></dependency>");
    publish("lib", "");
    resolver =
        new PackageResolver(new PackageResolver.Defaults(emptyLocalMaven, List.of()), new PrintStream(log, true, StandardCharsets.UTF_8));
  }

  private void publish(String artifact, String dependencies) throws Exception {
    String version = artifact.equals("app") ? "1.0" : "2.0";
    Path dir = Files.createDirectories(repository.resolve("org/example/" + artifact + "/" + version));
    Files.writeString(dir.resolve(artifact + "-" + version + ".pom"),
        "<project><modelVersion>4.0.0</modelVersion><groupId>org.example</groupId>"
            + "<artifactId>" + artifact + "</artifactId><version>" + version + "</version><dependencies>" + dependencies
            + "</dependencies></project>");
    try (var jar = new JarOutputStream(Files.newOutputStream(dir.resolve(artifact + "-" + version + ".jar")))) {
      jar.putNextEntry(new java.util.zip.ZipEntry(artifact + ".txt"));
    }
  }

  private PackageResolver.Request request(List<String> coordinates, List<String> excludes) {
    return new PackageResolver.Request(coordinates, excludes, List.of(repository.toUri().toString()), Optional.empty(),
        Optional.of(ivyHome));
  }

  @Test
  void resolvesTransitivelyWithoutSparkOrScala() {
    List<Path> jars = resolver.resolve(request(List.of("org.example:app:1.0"), List.of()));

    assertThat(jars).extracting(jar -> jar.getFileName().toString()).containsExactly("app-1.0.jar", "lib-2.0.jar");
    assertThat(jars).allMatch(jar -> jar.startsWith(ivyHome.resolve("cache")));
  }

  @Test
  void excludedPackagesAreLeftOut() {
    List<Path> jars = resolver.resolve(request(List.of("org.example/app:1.0"), List.of("org.example:lib")));

    assertThat(jars).extracting(jar -> jar.getFileName().toString()).containsExactly("app-1.0.jar");
  }

  @Test
  void aCoordinateThatDoesNotResolveIsNamedWithTheRepositoriesTried() {
    assertThatThrownBy(() -> resolver.resolve(request(List.of("org.example:missing:9.9"), List.of())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--packages org.example:missing:9.9 did not resolve")
        .hasMessageContaining("org.example#missing;9.9")
        .hasMessageContaining(repository.toUri().toString())
        .hasMessageContaining(emptyLocalMaven.toUri().toString());
  }

  @Test
  void aMalformedCoordinateIsRefusedBeforeAnythingIsFetched() {
    assertThatThrownBy(() -> resolver.resolve(request(List.of("org.example:app"), List.of())))
        .isInstanceOf(ConfigException.class).hasMessage("--packages 'org.example:app': expected groupId:artifactId:version");
    assertThatThrownBy(() -> resolver.resolve(request(List.of("org.example:app:1.0"), List.of("lib"))))
        .isInstanceOf(ConfigException.class).hasMessage("--exclude-packages 'lib': expected groupId:artifactId");
  }

  @Test
  void nothingRequestedResolvesNothing() {
    assertThat(resolver.resolve(request(List.of(), List.of()))).isEmpty();
  }
}
