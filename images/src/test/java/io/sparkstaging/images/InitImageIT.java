package io.sparkstaging.images;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.sparkstaging.common.images.ProjectImages;
import io.sparkstaging.submit.SubmitClientMain;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The init-container's image, built from its Dockerfile, run as the kubelet would run the
 * init-container of the driver pod that {@code submit} creates (in fabric8's mock API server),
 * against the server's image: it must fill the pod's volumes with files that Spark's user, uid
 * 185 in the stock images, can read.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class InitImageIT {
  private static final String NAMESPACE = "spark-jobs";
  private static final int SPARK_UID = 185;

  KubernetesClient client;

  @TempDir
  Path work;

  @BeforeEach
  void podman() throws Exception {
    Podman.assumeUsable();
    // JUnit makes it owner-only; the volumes under it must be reachable by uid 185, as the kubelet's are.
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @Test
  void fillsTheDriverPodsVolumesWithFilesSparksUserCanRead() throws Exception {
    Podman.build("init-container/Dockerfile", ProjectImages.init());
    Path app = write("app.jar", 2 << 20, 1);
    Path lib = write("lib.jar", 300_000, 2);
    Path words = write("words.txt", 1000, 3);
    Path serverVolumes = Files.createDirectory(work.resolve("server-volumes"));
    try (var server = ServerContainer.start("staging-init-it-server", serverVolumes, client, spec -> spec).awaitReady()) {
      String out = submit("--staging-server", server.baseUri(), "--jars", lib.toString(), "--files", words.toString(), app.toString());

      Pod driver = client.pods().inNamespace(NAMESPACE).list().getItems().get(0);
      Container init = driver.getSpec().getInitContainers().get(0);
      assertThat(init.getImage()).as("the default: this version's image").isEqualTo(ProjectImages.init());
      var kubelet = new KubeletStandIn(driver.getSpec(), NAMESPACE, Files.createDirectory(work.resolve("pod-volumes")),
          name -> client.configMaps().inNamespace(NAMESPACE).withName(name).get(),
          name -> client.secrets().inNamespace(NAMESPACE).withName(name).get());
      // Host networking: the pod reaches the server where the submitter did.
      Podman.Result run = Podman.run(kubelet.runArguments(init, List.of("run", "--rm", "--network", "host")));
      assertThat(run.code()).as(out + run.both()).isZero();

      Path jars = kubelet.volume(mountedAt(init, "/var/spark-data/spark-jars"));
      Path files = kubelet.volume(mountedAt(init, "/var/spark-data/spark-files"));
      assertThat(readAsSpark(jars.resolve("app.jar"))).isEqualTo(Files.readAllBytes(app));
      assertThat(readAsSpark(jars.resolve("lib.jar"))).isEqualTo(Files.readAllBytes(lib));
      assertThat(readAsSpark(files.resolve("words.txt"))).isEqualTo(Files.readAllBytes(words));
    }
  }

  @Test
  void theImagesJvmLoadsTheInitContainerFromItsClassDataSharingArchive() throws Exception {
    // -Xshare:on: a JVM that cannot map the archive the ENTRYPOINT names refuses to start instead of going on without it.
    Podman.Result run = runImage(List.of("--env", "JAVA_TOOL_OPTIONS=-Xshare:on -Xlog:class+load=info"), "--help");

    assertThat(run.code()).as(run.both()).isZero();
    assertThat(run.out()).contains("io.sparkstaging.init.InitContainerMain source: shared objects file")
        .contains("io.sparkstaging.init.config.InitCommand source: shared objects file");
  }

  @Test
  void theImagesRuntimeHasOnlyTheModulesTheInitContainerUses() throws Exception {
    Podman.Result run = runImage(List.of("--entrypoint", "/opt/spark-staging/java/bin/java"), "--list-modules");

    assertThat(run.code()).as(run.both()).isZero();
    assertThat(run.out().lines().map(module -> module.replaceAll("@.*", ""))).containsExactly("java.base", "jdk.crypto.ec");
  }

  /** The freshly built image, run once with a read-only root: {@code options} for podman, then {@code args} for the entrypoint. */
  private static Podman.Result runImage(List<String> options, String... args) throws Exception {
    Podman.build("init-container/Dockerfile", ProjectImages.init());
    var command = new ArrayList<>(List.of("run", "--rm", "--read-only"));
    command.addAll(options);
    command.addAll(Podman.ULIMITS);
    command.add(ProjectImages.init());
    command.addAll(List.of(args));
    return Podman.run(command);
  }

  private String submit(String... extra) {
    var args = new ArrayList<>(List.of("submit", "--no-wait", "--master", "k8s://" + client.getConfiguration().getMasterUrl(), "--conf",
        "spark.kubernetes.namespace=" + NAMESPACE, "--name", "image-check", "--class", "org.example.Main", "--image",
        "apache/spark:3.5.6"));
    args.addAll(List.of(extra));
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    int code = SubmitClientMain.run(args.toArray(String[]::new), Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String mountedAt(Container container, String path) {
    return container.getVolumeMounts().stream().filter(mount -> mount.getMountPath().equals(path)).map(VolumeMount::getName).findFirst()
        .orElseThrow(() -> new AssertionError(container.getName() + " mounts nothing at " + path));
  }

  /** Reads a file as uid 185 with no supplementary groups, as the Spark container would. */
  private static byte[] readAsSpark(Path file) throws IOException, InterruptedException {
    Process cat = new ProcessBuilder("setpriv", "--reuid=" + SPARK_UID, "--regid=" + SPARK_UID, "--clear-groups", "cat", file.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    byte[] content = cat.getInputStream().readAllBytes();
    assertThat(cat.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(cat.exitValue()).as("uid " + SPARK_UID + " reads " + file).isZero();
    return content;
  }

  private Path write(String name, int size, long seed) throws IOException {
    byte[] content = new byte[size];
    new Random(seed).nextBytes(content);
    return Files.write(work.resolve(name), content);
  }
}
