package io.sparkstaging.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.sparkstaging.common.images.ProjectImages;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import picocli.CommandLine;

/**
 * The Helm chart beside the kustomize manifests: it lints, its values are checked by their schema,
 * it carries the project's version, and for every variant it renders what kustomize renders, in
 * everything that matters. ManifestsIT checks each rendering on its own.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class HelmChartIT {
  /** The options the chart sets from its own values: service, s3 and tls. */
  private static final Set<String> SET_BY_THE_CHART = Set.of("port", "data-dir", "storage", "s3-spool-dir", "tls-cert-pem", "tls-key-pem");
  static final List<String> VARIANTS = Install.VARIANTS;

  KubernetesClient client;

  @Test
  void theChartLintsWithoutAWarning() {
    LintResult lint = new Helm(Install.CHART).lint().strict().call();
    assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
  }

  @Test
  void theChartIsTheProjectsVersionAndRunsItsImage() throws Exception {
    Map<?, ?> chart = new KubernetesSerialization().unmarshal(Files.readString(Install.CHART.resolve("Chart.yaml")), Map.class);
    assertThat(chart.get("version")).isEqualTo(ProjectImages.tag());
    assertThat(chart.get("appVersion")).isEqualTo(ProjectImages.tag());
    Deployment deployment = only(new Install("helm", "base").render(client), Deployment.class);
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo(ProjectImages.server());
  }

  @Test
  void theValuesSchemaNamesEveryServerOptionTheChartDoesNotSetItself() throws Exception {
    JsonNode schema = new ObjectMapper().readTree(Install.CHART.resolve("values.schema.json").toFile());
    Set<String> inSchema = new HashSet<>();
    schema.at("/properties/config/properties").fieldNames().forEachRemaining(inSchema::add);
    Set<String> options = new CommandLine(new ServerCommand()).getCommandSpec().options().stream()
        .map(option -> option.longestName().substring(2)).filter(name -> !Set.of("help", "version").contains(name))
        .collect(Collectors.toSet());
    options.removeAll(SET_BY_THE_CHART);
    assertThat(inSchema).isEqualTo(options);
  }

  @Test
  void aMisspeltOptionOrOneTheChartSetsIsRefusedNamingIt() {
    assertThatThrownBy(() -> Install.helmTemplate().set("config.max-bundle-sise", "1g").call()).hasMessageContaining("max-bundle-sise");
    assertThatThrownBy(() -> Install.helmTemplate().set("config.data-dir", "/data").call()).hasMessageContaining("data-dir");
  }

  @Test
  void aServiceMonitorScrapesTheServicesMetrics() throws Exception {
    String yaml = Install.helmTemplate().set("metrics.serviceMonitor.enabled", "true").call();
    List<HasMetadata> objects = client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
    GenericKubernetesResource monitor = objects.stream().filter(o -> o.getKind().equals("ServiceMonitor"))
        .map(GenericKubernetesResource.class::cast).findFirst().orElseThrow();
    Service service = only(objects, Service.class);
    Map<String, Object> spec = monitor.get("spec");
    assertThat(service.getMetadata().getLabels()).containsAllEntriesOf(monitor.get("spec", "selector", "matchLabels"));
    assertThat((List<?>) spec.get("endpoints")).singleElement()
        .satisfies(endpoint -> assertThat(((Map<?, ?>) endpoint).get("port")).isEqualTo("http"));
  }

  @ParameterizedTest
  @FieldSource("VARIANTS")
  void kustomizeAndHelmRenderTheSameServer(String variant) throws Exception {
    List<HasMetadata> kustomize = new Install("kustomize", variant).render(client);
    List<HasMetadata> helm = new Install("helm", variant).render(client);

    assertThat(kinds(helm)).as("the same objects, but the namespace, which Helm leaves to the installer")
        .isEqualTo(kinds(kustomize.stream().filter(o -> !(o instanceof Namespace)).toList()));
    assertThat(only(helm, ConfigMap.class).getData()).as("the same server options").isEqualTo(only(kustomize, ConfigMap.class).getData());

    Deployment k = only(kustomize, Deployment.class);
    Deployment h = only(helm, Deployment.class);
    assertThat(h.getSpec().getReplicas()).isEqualTo(k.getSpec().getReplicas());
    assertThat(h.getSpec().getStrategy()).isEqualTo(k.getSpec().getStrategy());
    assertThat(prometheus(h)).isEqualTo(prometheus(k));
    PodSpec hp = h.getSpec().getTemplate().getSpec();
    PodSpec kp = k.getSpec().getTemplate().getSpec();
    assertThat(hp.getSecurityContext()).isEqualTo(kp.getSecurityContext());
    assertThat(hp.getTerminationGracePeriodSeconds()).isEqualTo(kp.getTerminationGracePeriodSeconds());
    // Order aside: kustomize's patches put the overlay's volumes and mounts first.
    assertThat(hp.getVolumes()).containsExactlyInAnyOrderElementsOf(kp.getVolumes());
    assertThat(server(hp).getVolumeMounts()).containsExactlyInAnyOrderElementsOf(server(kp).getVolumeMounts());
    Container hc = server(hp);
    Container kc = server(kp);
    for (Function<Container, Object> part : List.<Function<Container, Object>>of(Container::getImage, Container::getPorts,
        Container::getResources, Container::getSecurityContext, Container::getStartupProbe, Container::getLivenessProbe,
        Container::getReadinessProbe, Container::getLifecycle, Container::getEnv)) {
      assertThat(part.apply(hc)).isEqualTo(part.apply(kc));
    }
    assertThat(hc.getEnvFrom()).hasSameSizeAs(kc.getEnvFrom());

    assertThat(only(helm, ClusterRole.class).getRules()).isEqualTo(only(kustomize, ClusterRole.class).getRules());
    assertThat(rules(helm)).isEqualTo(rules(kustomize));
    assertThat(only(helm, ServiceAccount.class).getMetadata().getAnnotations())
        .isEqualTo(only(kustomize, ServiceAccount.class).getMetadata().getAnnotations());
    NetworkPolicy hn = only(helm, NetworkPolicy.class);
    NetworkPolicy kn = only(kustomize, NetworkPolicy.class);
    assertThat(hn.getSpec().getIngress()).isEqualTo(kn.getSpec().getIngress());
    assertThat(hn.getSpec().getEgress()).isEqualTo(kn.getSpec().getEgress());
    assertThat(only(helm, PodDisruptionBudget.class).getSpec().getMaxUnavailable())
        .isEqualTo(only(kustomize, PodDisruptionBudget.class).getSpec().getMaxUnavailable());
    Service hs = only(helm, Service.class);
    Service ks = only(kustomize, Service.class);
    assertThat(hs.getMetadata().getName()).isEqualTo(ks.getMetadata().getName());
    assertThat(hs.getSpec().getType()).isEqualTo(ks.getSpec().getType());
    assertThat(hs.getSpec().getPorts()).isEqualTo(ks.getSpec().getPorts());
    if (variant.equals("ingress")) {
      assertThat(only(helm, Ingress.class).getSpec()).isEqualTo(only(kustomize, Ingress.class).getSpec());
      assertThat(only(helm, Ingress.class).getMetadata().getAnnotations())
          .isEqualTo(only(kustomize, Ingress.class).getMetadata().getAnnotations());
    }
    if (variant.equals("s3")) {
      assertThat(only(helm, HorizontalPodAutoscaler.class).getSpec()).isEqualTo(only(kustomize, HorizontalPodAutoscaler.class).getSpec());
    }
  }

  private static Container server(PodSpec pod) {
    return pod.getContainers().get(0);
  }

  private static Map<String, Long> kinds(List<HasMetadata> objects) {
    return objects.stream().collect(Collectors.groupingBy(HasMetadata::getKind, TreeMap::new, Collectors.counting()));
  }

  private static Map<String, String> prometheus(Deployment deployment) {
    return deployment.getSpec().getTemplate().getMetadata().getAnnotations().entrySet().stream()
        .filter(entry -> entry.getKey().startsWith("prometheus.io/")).collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  private static List<?> rules(List<HasMetadata> objects) {
    return objects.stream().filter(Role.class::isInstance).map(Role.class::cast).flatMap(role -> role.getRules().stream()).toList();
  }

  private static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> kind) {
    List<T> found = objects.stream().filter(kind::isInstance).map(kind::cast).toList();
    assertThat(found).as(kind.getSimpleName()).hasSize(1);
    return found.get(0);
  }
}
