package io.sparkstaging.submit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkstaging.server.support.ClassLists;
import io.sparkstaging.server.support.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class list from which the launcher builds the base of its class-data sharing archives ({@code
 * src/main/cds/submit-client.classlist}, shipped as {@code lib/submit-client.classlist}): a training
 * run of the packaged jar that stages a file no namespace holds (a question, an upload, a commit)
 * must load no class of the jar that the list lacks. Such a class is loaded and verified from the jar
 * at every start of {@code stage}, picocli's above all, which a dynamic archive cannot hold.
 */
class ClassListIT {
  private static final Path CLASS_LIST = Path.of("src/main/cds/submit-client.classlist");
  private static final Path JAR = Path.of("target/submit-client.jar");

  @TempDir
  Path dataDir;
  @TempDir
  Path work;

  @Test
  void theLaunchersClassListHoldsEveryClassOfTheJarThatAStageLoads() throws Exception {
    Path dumped = work.resolve("dumped.classlist");
    Path file = Files.writeString(work.resolve("app.jar"), "application");
    try (var server = TestServer.start(dataDir)) {
      var command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:DumpLoadedClassList=" + dumped,
          "-jar", JAR.toString(), "stage", "--staging-server", server.baseUri(), "--namespace", "training", "--label", "a=b", "-o", "json",
          file.toString());
      var builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().put("XDG_CACHE_HOME", work.resolve("cache").toString());
      Process run = builder.start();
      String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(run.exitValue()).as(output).isZero();
      assertThat(output).contains("\"filesSent\":1");
    }

    ClassLists.assertHoldsEveryClassOfTheJar(CLASS_LIST, dumped, JAR,
        "mvn -B verify -pl submit-client -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=ClassListIT");
  }
}
