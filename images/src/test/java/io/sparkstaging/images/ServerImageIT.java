package io.sparkstaging.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.sparkstaging.common.images.ProjectImages;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's image, built from its Dockerfile and run as the base Deployment runs it. */
@EnableKubernetesMockClient(crud = true, https = false)
class ServerImageIT {
  private static final String OWNER =
      "{\"ownerNamespace\":\"spark-jobs\",\"ownerLabels\":{\"spark-app-selector\":\"spark-1\"},\"ownerType\":\"Pod\"}";
  private static final Pattern RESOURCE = Pattern.compile("\"resourceId\":\"([^\"]+)\".*\"resourceSecret\":\"([^\"]+)\"");

  KubernetesClient client;

  @TempDir
  Path volumes;

  @BeforeEach
  void podman() throws Exception {
    Podman.assumeUsable();
  }

  @Test
  void theImageHoldsTheDataDirectoryOwnedByTheServersUser() throws Exception {
    Podman.build("staging-server/Dockerfile", ProjectImages.server());
    Path root = Path.of(Podman.ok("image", "mount", ProjectImages.server()));
    try {
      Path data = root.resolve("var/lib/spark-staging");
      assertThat(data).isDirectory().isEmptyDirectory();
      assertThat(Files.getAttribute(data, "unix:uid")).isEqualTo(65532);
      assertThat(Files.getAttribute(data, "unix:gid")).isEqualTo(65532);
    } finally {
      Podman.ok("image", "unmount", ProjectImages.server());
    }
  }

  @Test
  void startsServesSurvivesARestartWithItsBundlesAndStopsCleanlyOnSigterm() throws Exception {
    byte[] bundle = new byte[3 << 20];
    new Random(7).nextBytes(bundle);
    try (var server = ServerContainer.start("staging-image-it", volumes, client, ServerImageIT::withClassSharingRequired).awaitReady()) {
      assertThat(server.status("/healthz")).isEqualTo(200);
      String metrics = get(server.baseUri() + "/metrics");
      // Half the Deployment's 768 MiB limit for the heap, and the serial collector, whose old generation is "Tenured Gen".
      assertThat(heapMaxBytes(metrics)).isBetween(370L << 20, 384L << 20);
      assertThat(metrics).contains("id=\"Tenured Gen\"").doesNotContain("G1 Old Gen");
      String[] receipt = upload(server.baseUri(), bundle);
      assertThat(sha256(download(server.baseUri(), receipt))).isEqualTo(sha256(bundle));

      Duration stopping = server.stop();
      long grace = server.deployment().getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
      assertThat(stopping).as("stopped on SIGTERM, not killed at the end of the grace period").isLessThan(Duration.ofSeconds(grace / 2));
      assertThat(server.logs()).contains("Stopping: no new connections", "Stopped");
      // 143 is the JVM's own exit on SIGTERM once its shutdown hooks are done.
      assertThat(server.exitCode()).isIn(0, 143);

      server.restart().awaitReady();
      assertThat(sha256(download(server.baseUri(), receipt))).as("the bundle, from the same volume").isEqualTo(sha256(bundle));
      assertThat(server.logs()).contains("Loaded 1 bundle(s)")
          .contains("(1 as the last clean stop listed them, 0 from their metadata files)");
      // Jetty, Jersey and the server itself, mapped from the archive the image built.
      assertThat(server.logs()).contains("org.eclipse.jetty.server.Server source: shared objects file",
          "org.glassfish.jersey.server.ApplicationHandler source: shared objects file",
          "io.sparkstaging.server.store.IndexSnapshot source: shared objects file");
    }
  }

  @Test
  void aVolumeTheServerCannotWriteIsOneLineSayingWhoseItIs() throws Exception {
    // No fsGroup: the claim stays root's, as on a cluster whose storage ignores fsGroup.
    try (var server = ServerContainer.start("staging-image-it-denied", volumes, client, ServerImageIT::withoutFsGroup)) {
      await().atMost(Duration.ofSeconds(60))
          .until(() -> Podman.ok("inspect", "--format", "{{.State.Status}}", server.name()).equals("exited"));
      assertThat(server.exitCode()).isEqualTo(2);
      assertThat(server.logs()).startsWith("staging-server: configuration error: --data-dir: /var/lib/spark-staging is not writable by "
          + "the server's user (nonroot, uid 65532): it belongs to uid 0").contains("fsGroup").doesNotContain("\tat ")
          .doesNotContain("Exception");
    }
  }

  /** -Xshare:on: a JVM that cannot map the archive the ENTRYPOINT names refuses to start instead of going on without it. */
  private static PodSpec withClassSharingRequired(PodSpec spec) {
    PodSpec changed = new PodSpecBuilder(spec).build();
    changed.getContainers().get(0).getEnv().add(new EnvVar("JAVA_TOOL_OPTIONS", "-Xshare:on -Xlog:class+load=info", null));
    return changed;
  }

  private static PodSpec withoutFsGroup(PodSpec spec) {
    PodSpec changed = new PodSpecBuilder(spec).build();
    changed.getSecurityContext().setFsGroup(null);
    return changed;
  }

  private static long heapMaxBytes(String metrics) {
    Matcher pool = Pattern.compile("(?m)^jvm_memory_max_bytes\\{area=\"heap\",id=\"[^\"]+\"} ([0-9.E+]+)$").matcher(metrics);
    long total = 0;
    while (pool.find()) {
      total += (long) Double.parseDouble(pool.group(1));
    }
    return total;
  }

  private static String get(String uri) throws IOException {
    var connection = (HttpURLConnection) URI.create(uri).toURL().openConnection();
    assertThat(connection.getResponseCode()).isEqualTo(200);
    try (InputStream in = connection.getInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String[] upload(String baseUri, byte[] bundle) throws IOException {
    var connection = (HttpURLConnection) URI.create(baseUri + "/api/v1/bundles").toURL().openConnection();
    connection.setRequestMethod("POST");
    connection.setDoOutput(true);
    connection.setFixedLengthStreamingMode(bundle.length);
    connection.setRequestProperty("Content-Type", "application/octet-stream");
    connection.setRequestProperty("Bundle-Owner", OWNER);
    connection.getOutputStream().write(bundle);
    assertThat(connection.getResponseCode()).isEqualTo(201);
    String json = new String(connection.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    Matcher receipt = RESOURCE.matcher(json);
    assertThat(receipt.find()).as(json).isTrue();
    return new String[] {receipt.group(1), receipt.group(2)};
  }

  private static byte[] download(String baseUri, String[] receipt) throws IOException {
    var connection = (HttpURLConnection) URI.create(baseUri + "/api/v1/bundles/" + receipt[0]).toURL().openConnection();
    connection.setRequestProperty("Authorization", "Bearer " + receipt[1]);
    assertThat(connection.getResponseCode()).isEqualTo(200);
    try (InputStream in = connection.getInputStream(); var out = new ByteArrayOutputStream()) {
      in.transferTo(out);
      return out.toByteArray();
    }
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
