package io.sparkstaging.init;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkstaging.init.support.FakeFileServer;
import io.sparkstaging.init.support.InitHarness;
import io.sparkstaging.init.support.Tars;
import io.sparkstaging.server.support.Bundles;
import io.sparkstaging.server.support.JdkClient;
import io.sparkstaging.server.support.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class list from which the image builds its class-data sharing archive
 * ({@code src/main/cds/init-container.classlist}, read by the Dockerfile): a training run of the
 * packaged jar, with the image's JVM flags, that fetches a whole tar, a bundle staged by digest and a
 * remote file, must load no class of the jar that the list lacks; a class missing from the list is
 * loaded and linked at every pod's start. {@code -Dcds.classlist.update=true} writes the list from
 * the run instead.
 */
class ClassListIT {
  static final Path CLASS_LIST = Path.of("src/main/cds/init-container.classlist");
  private static final Path JAR = Path.of(System.getProperty("init.container.jar", "target/init-container.jar"));

  @TempDir
  Path dataDir;
  @TempDir
  Path pod;

  @Test
  void theImagesClassListHoldsEveryClassOfTheJarThatATrainingRunLoads() throws Exception {
    Path dumped = pod.resolve("dumped.classlist");
    try (var server = TestServer.start(dataDir); var remote = FakeFileServer.http(Bundles.random(50_000, 3))) {
      var client = new JdkClient();
      JsonNode tar = client.upload(server.baseUri(), Tars.plainOf("app.jar", "application", "lib.jar", "library"));
      var files = new LinkedHashMap<String, byte[]>();
      files.put("words.txt", Bundles.random(200_000, 1));
      files.put("run.sh", "#!/bin/sh\necho hi\n".getBytes(StandardCharsets.UTF_8));
      JsonNode byDigest = client.stageByDigest(server.baseUri(), files);
      var harness = new InitHarness(pod).stagedJars(server.baseUri(), tar.get("resourceId").asText(), tar.get("resourceSecret").asText())
          .stagedFiles(byDigest.get("resourceId").asText(), byDigest.get("resourceSecret").asText())
          .set("spark.kubernetes.initcontainer.remoteJars", remote.uri("/remote.jar"));

      var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-XX:DumpLoadedClassList=" + dumped));
      command.addAll(imageFlags());
      command.addAll(List.of("-jar", JAR.toString(), harness.writeProperties().toString()));
      Process run = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(run.exitValue()).as(output).isZero();
      assertThat(harness.jarsDir().resolve("remote.jar")).exists();
      assertThat(harness.filesDir().resolve("run.sh")).exists();
    }

    if (Boolean.getBoolean("cds.classlist.update")) {
      Files.copy(dumped, CLASS_LIST, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    Set<String> missing = classesOfTheJar(Files.readAllLines(dumped));
    missing.removeAll(classesOfTheJar(Files.readAllLines(CLASS_LIST)));
    assertThat(missing).as("classes the list lacks: write it anew with "
        + "mvn -B verify -pl init-container -Dtest=none -Dit.test=ClassListIT -Dcds.classlist.update=true").isEmpty();
  }

  /** The JVM flags of the image's ENTRYPOINT, but the archive, which the training run is to make the list of. */
  private static List<String> imageFlags() throws Exception {
    String entrypoint = Files.readAllLines(Path.of("Dockerfile")).stream().filter(line -> line.startsWith("ENTRYPOINT")).findFirst()
        .orElseThrow();
    return List.of(entrypoint.replaceAll("^ENTRYPOINT \\[\"java\", (.*), \"-jar\".*$", "$1").replace("\"", "").split(", ")).stream()
        .filter(flag -> !flag.startsWith("-XX:SharedArchiveFile=")).toList();
  }

  /** The list's lines naming a class of the jar (the project's and its libraries'), not the JDK's. */
  private static Set<String> classesOfTheJar(List<String> lines) throws Exception {
    try (var jar = new JarFile(JAR.toFile())) {
      return lines.stream().filter(line -> !line.startsWith("@") && !line.startsWith("#")).map(line -> line.split(" ")[0])
          .filter(name -> jar.getEntry(name + ".class") != null).collect(Collectors.toCollection(TreeSet::new));
    }
  }
}
