package io.sparkstaging.server.config;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sparkstaging.server.support.Kustomize;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * One way an admin installs the server: with {@code kubectl apply -k} on a kustomization, or with
 * Helm and one of the chart's example values files, in one of the variants both offer.
 */
record Install(String tool, String variant) {
  static final Path MANIFESTS = Path.of("..", "k8s-manifests");
  static final Path CHART = MANIFESTS.resolve("helm/spark-staging");
  static final List<String> VARIANTS = List.of("base", "nodeport", "ingress", "tls", "s3");
  static final String RELEASE = "spark-staging";
  static final String NAMESPACE = "spark-staging";
  // The oldest the manifests and the chart support: the preStop sleep action is 1.30's.
  static final String KUBERNETES = "1.30.0";

  static Stream<Install> all() {
    return Stream.of("kustomize", "helm").flatMap(tool -> VARIANTS.stream().map(variant -> new Install(tool, variant)));
  }

  /** The chart as {@code helm template spark-staging -n spark-staging} renders it, before any values file. */
  static TemplateCommand helmTemplate() {
    return new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion(KUBERNETES);
  }

  /** @param client parses the YAML into fabric8's model */
  List<HasMetadata> render(KubernetesClient client) throws IOException, InterruptedException {
    if (tool.equals("kustomize")) {
      return Kustomize.render(MANIFESTS.resolve(variant.equals("base") ? "base" : "overlays/" + variant), client);
    }
    TemplateCommand helm = helmTemplate();
    if (!variant.equals("base")) {
      helm.withValuesFile(MANIFESTS.resolve("helm/examples/" + variant + ".yaml"));
    }
    return client.load(new ByteArrayInputStream(helm.call().getBytes(StandardCharsets.UTF_8))).items();
  }

  @Override
  public String toString() {
    return tool + " " + variant;
  }
}
