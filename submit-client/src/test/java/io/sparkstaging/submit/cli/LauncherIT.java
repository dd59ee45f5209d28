package io.sparkstaging.submit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkstaging.common.images.ProjectImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
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
    return run(RELEASE, environment, args);
  }

  private Result run(Path release, Map<String, String> environment, String... args) throws Exception {
    String name = "spark-staging-" + System.nanoTime();
    Path command = Files.createSymbolicLink(userBin.resolve(name), release.resolve("bin/spark-staging"));
    Path out = userBin.resolve(name + ".out");
    Path err = userBin.resolve(name + ".err");
    var builder = new ProcessBuilder(concat(command.toString(), args)).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().putAll(environment);
    var process = builder.start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void theFirstRunLeavesABaseArchiveWithPicocliAndOneForTheCommandThatTheNextRunsMap() throws Exception {
    Path cache = userBin.resolve("cache");
    Map<String, String> environment = Map.of("XDG_CACHE_HOME", cache.toString());
    Result first = run(environment, "--version");

    assertThat(first.code()).isZero();
    assertThat(first.out().lines()).hasSize(3).first().asString().startsWith("spark-staging ");
    assertThat(first.err()).isEmpty();
    assertThat(archives(cache)).hasSize(2).anyMatch(name -> name.matches("base-[0-9]+\\.jsa"))
        .anyMatch(name -> name.matches("other-[0-9]+\\.top\\.jsa"));
    String classes = run(withClassLog(environment), "--version").out();
    // picocli is compiled for Java 5: only the base, a static archive, can hold its classes.
    assertThat(classes).contains("picocli.CommandLine source: shared objects file\n",
        "io.sparkstaging.submit.SubmitClientMain source: shared objects file\n", "source: shared objects file (top)");
    assertThat(run(environment, "--version")).isEqualTo(first);
  }

  @Test
  void aBaseThisJavaCannotMakeIsNotTriedAgainAndTheCommandStillGetsItsArchive() throws Exception {
    Path release = userBin.resolve("release");
    Files.createDirectories(release.resolve("bin"));
    Files.copy(RELEASE.resolve("bin/spark-staging"), release.resolve("bin/spark-staging"));
    Files.createDirectories(release.resolve("lib"));
    Files.createSymbolicLink(release.resolve("lib/submit-client.jar"), RELEASE.resolve("lib/submit-client.jar"));
    Path cache = userBin.resolve("no-list-cache");
    Map<String, String> environment = Map.of("XDG_CACHE_HOME", cache.toString());

    Result first = run(release, environment, "--version");
    // Were it tried again, it would now succeed.
    Files.createSymbolicLink(release.resolve("lib/submit-client.classlist"), RELEASE.resolve("lib/submit-client.classlist"));
    Result next = run(release, withClassLog(environment), "--version");

    assertThat(first.code()).isZero();
    assertThat(first.err()).isEmpty();
    assertThat(archives(cache)).hasSize(2).anyMatch(name -> name.matches("other-[0-9]+\\.top\\.jsa"));
    try (var files = Files.list(cache.resolve("spark-staging/cds"))) {
      assertThat(files.filter(path -> path.getFileName().toString().startsWith("base-"))).singleElement()
          .satisfies(base -> assertThat(base).isEmptyFile());
    }
    assertThat(next.code()).isZero();
    assertThat(next.out()).contains("io.sparkstaging.submit.SubmitClientMain source: shared objects file (top)")
        .contains("picocli.CommandLine source: file:");
  }

  @Test
  void aCommandsFirstRunRemovesWhatKilledRunsLeftButNotWhatRunningOnesWrite() throws Exception {
    Path cache = userBin.resolve("killed-cache");
    Path archives = Files.createDirectories(cache.resolve("spark-staging/cds"));
    Path killed = Files.write(archives.resolve("base-1.jsa.4242.tmp"), new byte[1000]);
    Files.setLastModifiedTime(killed, FileTime.from(Instant.now().minusSeconds(3600)));
    Path running = Files.write(archives.resolve("stage-1.top.jsa.4343.tmp"), new byte[1000]);

    assertThat(run(Map.of("XDG_CACHE_HOME", cache.toString()), "--version").code()).isZero();

    assertThat(killed).doesNotExist();
    assertThat(running).exists();
  }

  @Test
  void concurrentFirstRunsAllSucceedAndShareOneBase() throws Exception {
    Path cache = userBin.resolve("shared-cache");
    Map<String, String> environment = Map.of("XDG_CACHE_HOME", cache.toString());
    // Three threads of their own: the common pool has one on two cores, which would run them in turn.
    var threads = Executors.newFixedThreadPool(3);
    List<Future<Result>> runs;
    try {
      runs = threads.invokeAll(Collections.nCopies(3, () -> run(environment, "--version")));
    } finally {
      threads.shutdown();
    }

    for (var run : runs) {
      assertThat(run.get()).isEqualTo(runs.get(0).get());
    }
    assertThat(runs.get(0).get().code()).isZero();
    // A command's archive may be missing: one made on the base before its maker removed older ones
    // goes too, and the next run makes it again.
    assertThat(archives(cache)).filteredOn(name -> name.startsWith("base-")).hasSize(1);
    assertThat(archives(cache)).noneMatch(name -> name.endsWith(".tmp"));
    assertThat(run(withClassLog(environment), "--version").out()).contains("picocli.CommandLine source: shared objects file\n");
  }

  @Test
  void withCdsOffNothingIsWritten() throws Exception {
    Path cache = userBin.resolve("off-cache");
    Result result = run(Map.of("XDG_CACHE_HOME", cache.toString(), "SPARK_STAGING_CDS", "off"), "--version");

    assertThat(result.code()).isZero();
    assertThat(result.out()).startsWith("spark-staging ");
    assertThat(cache).doesNotExist();
  }

  @Test
  void aStageCompilesLessThanTheJvmsDefaultsOtherCommandsDoNotAndTheUsersOptionWins() throws Exception {
    for (String cds : List.of("off", "on")) {
      // With CDS on, the first run of each command writes its archive and the second maps it: three ways to start the JVM.
      for (int run = 0; run < (cds.equals("on") ? 2 : 1); run++) {
        var environment = Map.of("XDG_CACHE_HOME", userBin.resolve("jit-cache").toString(), "SPARK_STAGING_CDS", cds);
        assertThat(compileThresholdScaling(environment, "stage")).as("stage, CDS %s, run %d", cds, run).isEqualTo("4.0");
        assertThat(compileThresholdScaling(environment, "status")).as("status, CDS %s, run %d", cds, run).isEqualTo("1.0");
        var overridden = new HashMap<>(environment);
        overridden.put("SPARK_STAGING_JAVA_OPTS", "-XX:CompileThresholdScaling=1.5 -XX:+PrintFlagsFinal");
        assertThat(flag(run(overridden, "stage", "--help").out(), "CompileThresholdScaling")).as("the user's, CDS %s", cds)
            .isEqualTo("1.5");
      }
    }
  }

  @Test
  void everyCommandHasC2CompileSha256sBlockFunctionsCallerAtOnceAndSaysNothingOfItOnStandardOutput() throws Exception {
    for (String cds : List.of("off", "on")) {
      for (int run = 0; run < (cds.equals("on") ? 2 : 1); run++) {
        var environment = new HashMap<>(Map.of("XDG_CACHE_HOME", userBin.resolve("sha-cache").toString(), "SPARK_STAGING_CDS", cds));
        assertThat(run(environment, "--version").out()).as("--version, CDS %s, run %d", cds, run).startsWith("spark-staging ")
            .doesNotContain("CompileCommand");
        environment.put("SPARK_STAGING_JAVA_OPTS", "-XX:+PrintFlagsFinal");
        for (String command : List.of("stage", "status")) {
          Result result = run(environment, command, "--help");
          assertThat(result.code()).as(result.err()).isZero();
          assertThat(compileCommands(result.out())).as("%s, CDS %s, run %d", command, cds, run)
              .containsExactly("quiet", "CompileThresholdScaling,sun.security.provider.SHA2::implCompress,0.01");
        }
      }
    }
  }

  /** The values of {@code -XX:+PrintFlagsFinal}'s CompileCommand lines: "ccstrlist CompileCommand = quiet", then "CompileCommand += …". */
  private static List<String> compileCommands(String printed) {
    return printed.lines().map(line -> line.trim().replaceFirst("^ccstrlist\\s+", ""))
        .filter(line -> line.matches("CompileCommand\\s+\\+?=.*"))
        .map(line -> line.replaceFirst("^CompileCommand\\s+\\+?=\\s*", "").split("\\s+")[0])
        .filter(value -> !value.isEmpty() && !value.startsWith("{")).toList();
  }

  private String compileThresholdScaling(Map<String, String> environment, String command) throws Exception {
    var printing = new HashMap<>(environment);
    printing.put("SPARK_STAGING_JAVA_OPTS", "-XX:+PrintFlagsFinal");
    Result result = run(printing, command, "--help");
    assertThat(result.code()).as(result.err()).isZero();
    return flag(result.out(), "CompileThresholdScaling");
  }

  /** A flag's value in {@code -XX:+PrintFlagsFinal}'s table: "double CompileThresholdScaling = 4.000000 {product} {command line}". */
  private static String flag(String printed, String name) {
    return printed.lines().filter(line -> line.matches("\\s*\\S+\\s+" + name + "\\s+=.*")).findFirst()
        .map(line -> String.valueOf(Double.parseDouble(line.split("=")[1].trim().split("\\s+")[0])))
        .orElseThrow(() -> new AssertionError("no " + name + " in " + printed));
  }

  private static Map<String, String> withClassLog(Map<String, String> environment) {
    var withClassLog = new HashMap<>(environment);
    withClassLog.put("SPARK_STAGING_JAVA_OPTS", "-Xlog:class+load=info");
    return withClassLog;
  }

  /** The names of the files in the launcher's archive directory, temporary ones included. */
  private static List<String> archives(Path cache) throws IOException {
    try (var files = Files.list(cache.resolve("spark-staging/cds"))) {
      return files.map(path -> path.getFileName().toString()).toList();
    }
  }

  private static List<String> concat(String first, String... rest) {
    var all = new ArrayList<String>();
    all.add(first);
    all.addAll(List.of(rest));
    return all;
  }

  @Test
  void theLauncherRunsTheMainClassTheJarsManifestNames() throws Exception {
    try (var jar = new JarFile(RELEASE.resolve("lib/submit-client.jar").toFile())) {
      String mainClass = jar.getManifest().getMainAttributes().getValue("Main-Class");
      assertThat(Files.readAllLines(RELEASE.resolve("bin/spark-staging"))).contains("main=" + mainClass);
    }
  }

  @Test
  void theReleaseHoldsTheCommandAndTheJar() {
    assertThat(RELEASE.resolve("bin/spark-staging")).isExecutable();
    assertThat(RELEASE.resolve("bin/spark-staging.cmd")).isRegularFile();
    assertThat(RELEASE.resolve("lib/submit-client.jar")).isRegularFile();
    assertThat(RELEASE.resolve("lib/submit-client.classlist")).isRegularFile();
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
