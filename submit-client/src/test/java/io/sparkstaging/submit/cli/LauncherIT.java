package io.sparkstaging.submit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkstaging.common.images.ProjectImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The command a user installs: the release archive's bin/spark-staging, run through a symlink on the PATH, as a person would. */
@DisabledOnOs(OS.WINDOWS)
class LauncherIT {
  private static final Path RELEASE = Path.of(System.getProperty("release.dir"));

  @TempDir
  Path userBin;

  private record Result(int code, String out, String err) {}

  private Result run(String... args) throws Exception {
    return run(Map.of(), args);
  }

  private Result run(Map<String, String> environment, String... args) throws Exception {
    Path command = Files.createSymbolicLink(userBin.resolve("spark-staging-" + System.nanoTime()), RELEASE.resolve("bin/spark-staging"));
    Path out = userBin.resolve("out.txt");
    Path err = userBin.resolve("err.txt");
    var builder = new ProcessBuilder(concat(command.toString(), args)).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().putAll(environment);
    var process = builder.start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void theFirstRunOfACommandLeavesAClassArchiveThatTheNextRunsMap() throws Exception {
    Path cache = userBin.resolve("cache");
    Map<String, String> environment = Map.of("XDG_CACHE_HOME", cache.toString());
    Result first = run(environment, "--version");
    Path archives = cache.resolve("spark-staging/cds");

    assertThat(first.code()).isZero();
    assertThat(first.out().lines()).hasSize(3).first().asString().startsWith("spark-staging ");
    assertThat(first.err()).isEmpty();
    try (var files = Files.list(archives)) {
      assertThat(files.map(path -> path.getFileName().toString())).singleElement().asString().matches("other-[0-9]+\\.jsa");
    }
    var withClassLog = new java.util.HashMap<>(environment);
    withClassLog.put("SPARK_STAGING_JAVA_OPTS", "-Xlog:class+load=info");
    Result next = run(withClassLog, "--version");
    assertThat(next.code()).isZero();
    assertThat(next.out()).contains("io.sparkstaging.submit.SubmitClientMain source: shared objects file (top)");
    assertThat(run(environment, "--version")).isEqualTo(first);
  }

  @Test
  void withCdsOffNothingIsWritten() throws Exception {
    Path cache = userBin.resolve("off-cache");
    Result result = run(Map.of("XDG_CACHE_HOME", cache.toString(), "SPARK_STAGING_CDS", "off"), "--version");

    assertThat(result.code()).isZero();
    assertThat(result.out()).startsWith("spark-staging ");
    assertThat(cache).doesNotExist();
  }

  private static List<String> concat(String first, String... rest) {
    var all = new java.util.ArrayList<String>();
    all.add(first);
    all.addAll(List.of(rest));
    return all;
  }

  @Test
  void theReleaseHoldsTheCommandAndTheJar() {
    assertThat(RELEASE.resolve("bin/spark-staging")).isExecutable();
    assertThat(RELEASE.resolve("bin/spark-staging.cmd")).isRegularFile();
    assertThat(RELEASE.resolve("lib/submit-client.jar")).isRegularFile();
  }

  @Test
  void versionIsTheRealOneAndNothingElseIsPrinted() throws Exception {
    Result result = run("--version");

    assertThat(result.code()).isZero();
    assertThat(result.out()).startsWith("spark-staging " + System.getProperty("release.version") + "\n")
        .contains(
            "Init-container image: " + ProjectImages.registry() + "/spark-staging-init:" + System.getProperty("release.version") + "\n");
    assertThat(result.err()).isEmpty();
  }

  @Test
  void helpIsGroupedLikeSparkSubmitsAndStderrStaysQuiet() throws Exception {
    Result result = run("submit", "--help");

    assertThat(result.code()).isZero();
    assertThat(result.out()).contains("Usage: spark-staging submit", "Application:", "Dependencies:", "Driver and executors:",
        "Other actions:");
    assertThat(result.err()).isEmpty();
  }

  @Test
  void aClientFailureIsOneLineAndExitCode2() throws Exception {
    Result result = run("submit", "--master", "k8s://https://127.0.0.1:1", "--image", "x", "analysis.R");

    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err().lines().toList()).containsExactly(
        "submit-client: analysis.R: R applications are not supported (SparkR is deprecated as of Spark 4.0)");
  }
}
