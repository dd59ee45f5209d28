package io.sparkstaging.init;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkstaging.init.support.FakeFileServer;
import io.sparkstaging.init.support.InitHarness;
import io.sparkstaging.init.support.Tars;
import io.sparkstaging.server.support.Bundles;
import io.sparkstaging.server.support.ClassLists;
import io.sparkstaging.server.support.JdkClient;
import io.sparkstaging.server.support.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
      command.addAll(ClassLists.imageFlags());
      command.addAll(List.of("-jar", JAR.toString(), harness.writeProperties().toString()));
      Process run = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(run.exitValue()).as(output).isZero();
      assertThat(harness.jarsDir().resolve("remote.jar")).exists();
      assertThat(harness.filesDir().resolve("run.sh")).exists();
    }

    ClassLists.assertHoldsEveryClassOfTheJar(CLASS_LIST, dumped, JAR,
        "mvn -B verify -pl init-container -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=ClassListIT");
  }
}
