package io.sparkstaging.init.support;

import io.sparkstaging.init.InitContainerMain;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A pod's view for one init-container run: the two emptyDir targets, the mounted secrets, and
 * the properties file the submission client would write, with the original keys.
 */
public final class InitHarness {
  private final Path root;
  private final List<String> properties = new ArrayList<>();

  public InitHarness(Path root) throws IOException {
    this.root = root;
    Files.createDirectories(jarsDir());
    Files.createDirectories(filesDir());
    Files.createDirectories(root.resolve("secrets"));
    set("spark.kubernetes.mountdependencies.jarsDownloadDir", jarsDir().toString());
    set("spark.kubernetes.mountdependencies.filesDownloadDir", filesDir().toString());
  }

  public Path jarsDir() {
    return root.resolve("var/spark-data/spark-jars");
  }

  public Path filesDir() {
    return root.resolve("var/spark-data/spark-files");
  }

  public InitHarness set(String key, String value) {
    properties.add(key + "=" + value);
    return this;
  }

  /** Mounts a secret file, as the pod's Secret volume would, and points the given key at it. */
  public InitHarness secret(String key, String name, String value) throws IOException {
    Path file = Files.writeString(root.resolve("secrets").resolve(name), value);
    return set(key, file.toString());
  }

  public InitHarness stagedJars(String server, String id, String secret) throws IOException {
    set("spark.kubernetes.resourceStagingServer.uri", server);
    set("spark.kubernetes.initcontainer.downloadJarsResourceIdentifier", id);
    return secret("spark.kubernetes.initcontainer.downloadJarsSecretLocation", "downloadSubmittedJarsSecret", secret);
  }

  public InitHarness stagedFiles(String id, String secret) throws IOException {
    set("spark.kubernetes.initcontainer.downloadFilesResourceIdentifier", id);
    return secret("spark.kubernetes.initcontainer.downloadFilesSecretLocation", "downloadSubmittedFilesSecret", secret);
  }

  /** What a run printed and returned. */
  public record Result(int exitCode, String out, String err) {
    public String firstErrorLine() {
      return err.lines().findFirst().orElse("");
    }
  }

  /** Writes the properties file as the ConfigMap would mount it. */
  public Path writeProperties() throws IOException {
    return Files.write(root.resolve("spark-init.properties"), properties);
  }

  public Result run(String... extraArgs) throws Exception {
    Path file = writeProperties();
    var args = new ArrayList<String>();
    args.add(file.toString());
    args.addAll(List.of(extraArgs));
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    int code = InitContainerMain.run(args.toArray(String[]::new), Map.of(),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Every path under the two targets, hidden ones included. */
  public List<String> targetContents() throws IOException {
    var all = new ArrayList<String>();
    for (Path dir : List.of(jarsDir(), filesDir())) {
      try (Stream<Path> paths = Files.walk(dir)) {
        paths.filter(path -> !path.equals(dir)).map(path -> root.relativize(path).toString()).forEach(all::add);
      }
    }
    return all.stream().sorted().toList();
  }
}
