package io.sparkstaging.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * podman as these checks run it: as root, with the cgroupfs manager and the file events logger
 * (no systemd or journald here), runc where it is installed (Debian's crun fails on this kind of
 * host), and explicit ulimits (podman's defaults exceed the hard limits here).
 */
final class Podman {
  /** The server image's base; pulled where a registry can be reached, or made by images/stand-in-base, with the two below. */
  static final String BASE = "gcr.io/distroless/java17-debian12:nonroot";
  /** The init-container image's base, and the JDK its build stage runs jlink from. */
  private static final List<String> OTHER_BASES = List.of("gcr.io/distroless/java-base-debian12:nonroot", "eclipse-temurin:17-jdk");
  static final Path ROOT = Path.of(System.getProperty("repository.root", "..")).toAbsolutePath().normalize();
  static final List<String> ULIMITS = List.of("--ulimit", "nofile=20000:20000", "--ulimit", "nproc=32768:32768");

  private static final Set<String> BUILT = new HashSet<>();
  private static Optional<String> whyNot;

  private Podman() {}

  record Result(int code, String out, String err) {
    String both() {
      return out + err;
    }
  }

  static Result run(List<String> args) throws IOException, InterruptedException {
    var command = new ArrayList<>(List.of("podman", "--cgroup-manager", "cgroupfs", "--events-backend", "file"));
    if (onPath("runc")) {
      command.addAll(List.of("--runtime", "runc"));
    }
    command.addAll(args);
    Path out = Files.createTempFile("podman", ".out");
    Path err = Files.createTempFile("podman", ".err");
    try {
      Process process = new ProcessBuilder(command).directory(ROOT.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile())
          .start();
      if (!process.waitFor(5, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IOException("podman " + String.join(" ", args) + " took more than 5 minutes");
      }
      return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.delete(out);
      Files.delete(err);
    }
  }

  static Result run(String... args) throws IOException, InterruptedException {
    return run(List.of(args));
  }

  /** Runs and requires success; returns standard output, stripped. */
  static String ok(String... args) throws IOException, InterruptedException {
    Result result = run(args);
    assertThat(result.code()).as("podman " + String.join(" ", args) + "\n" + result.both()).isZero();
    return result.out().strip();
  }

  /** Skips the calling test, saying why, where podman cannot build and run the images. */
  static void assumeUsable() throws IOException, InterruptedException {
    Optional<String> reason = whyNot();
    assumeTrue(reason.isEmpty(), () -> "images: skipped: " + reason.orElseThrow());
  }

  private static synchronized Optional<String> whyNot() throws IOException, InterruptedException {
    if (whyNot == null) {
      whyNot = probe();
    }
    return whyNot;
  }

  private static Optional<String> probe() throws IOException, InterruptedException {
    if (!onPath("podman")) {
      return Optional.of("podman is not installed (.ci/run installs it)");
    }
    if (!"root".equals(System.getProperty("user.name"))) {
      return Optional.of("these checks run podman as root, to mount volumes the kubelet's way");
    }
    for (String base : Stream.concat(Stream.of(BASE), OTHER_BASES.stream()).toList()) {
      if (run("image", "exists", base).code() != 0) {
        return Optional.of("no base image " + base + ": pull it, or make stand-ins with images/stand-in-base (.ci/run does)");
      }
    }
    var args = new ArrayList<>(List.of("run", "--rm"));
    args.addAll(ULIMITS);
    args.addAll(List.of("--entrypoint", "java", BASE, "-version"));
    Result java = run(args);
    return java.code() == 0 ? Optional.empty() : Optional.of("podman cannot run a container here: " + java.both().strip());
  }

  /** Builds an image from its Dockerfile, from the repository's root as README says, once per run. */
  static synchronized void build(String dockerfile, String tag) throws IOException, InterruptedException {
    if (BUILT.add(tag)) {
      ok("build", "--quiet", "-f", dockerfile, "-t", tag, ".");
    }
  }

  private static boolean onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(":")) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
