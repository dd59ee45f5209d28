package io.sparkstaging.init;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import io.sparkstaging.init.support.InitHarness;
import io.sparkstaging.init.support.Tars;
import io.sparkstaging.server.support.Bundles;
import io.sparkstaging.server.support.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar, started as the pod starts it: exit codes, stderr, and its cold start. */
class InitContainerProcessIT {
  @TempDir
  Path dataDir;
  @TempDir
  Path pod;

  private record Exit(int code, String out, String err, long millis) {}

  private static Exit runJar(String... args) throws IOException, InterruptedException {
    Path jar = Path.of(System.getProperty("init.container.jar", "target/init-container.jar"));
    var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
    command.addAll(List.of(args));
    long started = System.nanoTime();
    Process process = new ProcessBuilder(command).start();
    byte[] out = process.getInputStream().readAllBytes();
    byte[] err = process.getErrorStream().readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Exit(process.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8),
        (System.nanoTime() - started) / 1_000_000);
  }

  @Test
  void fetchesAOneFileBundleFromAColdStart() throws Exception {
    try (var server = TestServer.start(dataDir)) {
      Response jars = given().multiPart("resources", "b.tgz", Tars.gzipOf("app.jar", "x"), "multipart/form-data")
          .multiPart("resourcesOwner", Bundles.OWNER_JSON, "application/json").post(server.baseUri() + "/api/v0/resources/");
      var harness = new InitHarness(pod).stagedJars(server.baseUri(), jars.path("resourceId"), jars.path("resourceSecret"));
      Path properties = harness.writeProperties();

      Exit exit = runJar(properties.toString());

      assertThat(exit.code()).as(exit.err()).isZero();
      assertThat(harness.jarsDir().resolve("app.jar")).hasContent("x");
      System.out.printf("init-container cold start, one-file bundle: %d ms wall%n", exit.millis());
    }
  }

  @Test
  void aConfigurationErrorIsExitCode2WithOneLineOnStderr() throws Exception {
    Exit exit = runJar("--timeout", "soon");

    assertThat(exit.code()).isEqualTo(2);
    assertThat(exit.err().lines().toList()).containsExactly("init-container: configuration error: Invalid value for option '--timeout': "
        + "'soon' is not a duration; use e.g. 500ms, 30s, 5m, 1h, 2d");
  }

  @Test
  void nothingToFetchIsSuccess() throws Exception {
    Exit exit = runJar("--jars-dir", Files.createDirectories(pod.resolve("j")).toString());

    assertThat(exit.code()).isZero();
    assertThat(exit.out()).contains("nothing to fetch");
  }
}
