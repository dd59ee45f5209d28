package io.sparkstaging.server.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Renders the kustomizations of k8s-manifests/ with {@code kubectl kustomize}, as an admin applies them. */
public final class Kustomize {
  private static final Pattern KUSTOMIZE_VERSION = Pattern.compile("Kustomize Version: v(\\d+)");

  private Kustomize() {}

  /** @param client parses the YAML into fabric8's model */
  public static List<HasMetadata> render(Path kustomization, KubernetesClient client) throws IOException, InterruptedException {
    assumeKubectl();
    Path err = Files.createTempFile("kustomize", ".err");
    try {
      Process kubectl = new ProcessBuilder("kubectl", "kustomize", kustomization.toString()).redirectError(err.toFile()).start();
      byte[] yaml = kubectl.getInputStream().readAllBytes();
      assertThat(kubectl.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(kubectl.exitValue()).as(Files.readString(err)).isZero();
      return client.load(new ByteArrayInputStream(yaml)).items();
    } finally {
      Files.delete(err);
    }
  }

  /**
   * The manifests use kustomize 4+ syntax ({@code labels}, {@code patches}), which kubectl embeds
   * since 1.21. CI must have it (.ci/run installs kubectl where none is present); elsewhere a missing
   * or older kubectl skips the calling test rather than failing it.
   */
  private static void assumeKubectl() throws InterruptedException {
    String version;
    try {
      Process kubectl = new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
      version = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      version = kubectl.waitFor() == 0 ? version : "";
    } catch (IOException e) {
      version = "";
    }
    Matcher kustomize = KUSTOMIZE_VERSION.matcher(version);
    boolean usable = kustomize.find() && Integer.parseInt(kustomize.group(1)) >= 4;
    String why = version.isEmpty() ? "kubectl is not installed" : "kubectl embeds no kustomize 4 or later: " + version.strip();
    if (System.getenv("CI") != null) {
      assertThat(usable).as(why).isTrue();
    }
    assumeTrue(usable, why);
  }
}
