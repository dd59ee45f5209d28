package io.sparkstaging.server.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The packaged server jar in its own JVM, for what only a real process shows: heap limits, kill -9, SIGTERM. */
public final class ServerProcess implements AutoCloseable {
  /** The start line, as text or in JSON, which escapes each slash. */
  private static final Pattern LISTENING = Pattern.compile("listen https?:(?:\\\\?/){2}[^:]+:(\\d+),");

  private final Process process;
  private final List<String> output = new ArrayList<>();
  private final CompletableFuture<Integer> port = new CompletableFuture<>();
  private final CompletableFuture<Void> outputEnded = new CompletableFuture<>();

  private ServerProcess(List<String> command) throws IOException {
    process = new ProcessBuilder(command).redirectErrorStream(true).start();
    Thread reader = new Thread(this::readOutput, "server-output");
    reader.setDaemon(true);
    reader.start();
  }

  public static Path jar() {
    Path jar = Path.of(System.getProperty("staging.server.jar", "target/staging-server.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: run these tests with 'mvn verify', after 'package'");
    }
    return jar;
  }

  /** Starts the jar with {@code jvmOptions} then {@code args}; does not wait for it to listen. */
  public static ServerProcess launch(List<String> jvmOptions, String... args) throws IOException {
    var command = new ArrayList<String>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(List.of(args));
    return new ServerProcess(command);
  }

  /** Starts a server on an ephemeral loopback port over {@code dataDir} and waits until it listens. */
  public static ServerProcess start(Path dataDir, List<String> jvmOptions, String... extraArgs) throws Exception {
    var args = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", "0", "--data-dir", dataDir.toString(), "--min-free-space", "0"));
    args.addAll(List.of(extraArgs));
    ServerProcess server = launch(jvmOptions, args.toArray(String[]::new));
    server.port();
    return server;
  }

  private void readOutput() {
    try (var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        synchronized (output) {
          output.add(line);
        }
        Matcher match = LISTENING.matcher(line);
        if (match.find()) {
          port.complete(Integer.parseInt(match.group(1)));
        }
      }
    } catch (IOException ignored) {
      // The process ended.
    }
    port.completeExceptionally(new IllegalStateException("the server exited before listening:\n" + output()));
    outputEnded.complete(null);
  }

  public int port() throws Exception {
    return port.get(60, TimeUnit.SECONDS);
  }

  public String baseUri() throws Exception {
    return "http://127.0.0.1:" + port();
  }

  public long pid() {
    return process.pid();
  }

  public String output() {
    synchronized (output) {
      return String.join("\n", output);
    }
  }

  /** The peak resident set size so far, from /proc. */
  public long peakRssBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
      }
    }
    throw new IOException("no VmHWM for " + pid());
  }

  /**
   * SIGTERM, as Kubernetes sends it. Through the process handle, because {@link Process#destroy}
   * also closes our end of the output pipe, and the server's shutdown log would be lost.
   */
  public void terminate() {
    process.toHandle().destroy();
  }

  /** SIGKILL: no shutdown hook, no cleanup. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  public int waitForExit() throws InterruptedException {
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the server did not exit");
    }
    outputEnded.join();
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
