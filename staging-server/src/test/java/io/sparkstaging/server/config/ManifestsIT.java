package io.sparkstaging.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.sparkstaging.common.images.ProjectImages;
import io.sparkstaging.server.support.PodChecks;
import io.sparkstaging.server.support.SelfSignedCertificate;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Renders every way to install the server, each kustomization in k8s-manifests/ with {@code kubectl
 * kustomize} and the Helm chart with each of its example values files (through helm-java, Helm's
 * own code), checks what an admin relies on, the {@code restricted} Pod Security Standard included,
 * feeds the ConfigMap to the server's own configuration loader, and applies the result to fabric8's
 * mock API server. The two installers must agree on everything that matters.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class ManifestsIT {
  private static final String DATA_DIR = "/var/lib/spark-staging";
  private static final String TLS_DIR = "/etc/spark-staging/tls";

  KubernetesClient client;

  @TempDir
  Path pod;

  static Stream<Install> installs() {
    return Install.all();
  }

  private List<HasMetadata> render(Install install) throws IOException, InterruptedException {
    return install.render(client);
  }

  private static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> kind) {
    List<T> found = objects.stream().filter(kind::isInstance).map(kind::cast).toList();
    assertThat(found).as(kind.getSimpleName()).hasSize(1);
    return found.get(0);
  }

  @ParameterizedTest
  @MethodSource("installs")
  void everyInstallRendersASecureServerThatTheClusterAccepts(Install install) throws Exception {
    List<HasMetadata> objects = render(install);
    String variant = install.variant();

    Deployment deployment = only(objects, Deployment.class);
    PodSpec spec = deployment.getSpec().getTemplate().getSpec();
    Container server = spec.getContainers().get(0);
    assertThat(server.getImage()).as("the image of this version").isEqualTo(ProjectImages.server());
    assertSecure(spec, server);
    assertThat(PodChecks.restrictedViolations(spec)).as("the restricted Pod Security Standard").isEmpty();
    assertThat(server.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(server.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(server.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(server.getResources().getLimits()).containsKey("memory");
    Set<String> volumes = spec.getVolumes().stream().map(Volume::getName).collect(Collectors.toSet());
    assertThat(server.getVolumeMounts()).allSatisfy(mount -> assertThat(volumes).contains(mount.getName()));
    assertThat(server.getVolumeMounts()).anySatisfy(mount -> assertThat(mount.getMountPath()).isEqualTo(DATA_DIR));
    if (!variant.equals("s3")) {
      assertThat(deployment.getSpec().getStrategy().getType()).as("one pod at a time on the volume").isEqualTo("Recreate");
      String claim = spec.getVolumes().stream().filter(v -> v.getPersistentVolumeClaim() != null).findFirst().orElseThrow()
          .getPersistentVolumeClaim().getClaimName();
      assertThat(only(objects, PersistentVolumeClaim.class).getMetadata().getName()).isEqualTo(claim);
    }

    ConfigMap config = only(objects, ConfigMap.class);
    assertThat(server.getEnvFrom())
        .anySatisfy(from -> assertThat(from.getConfigMapRef().getName()).isEqualTo(config.getMetadata().getName()));
    ServerConfig loaded = loadAsTheServerWould(config.getData());
    Duration stopBudget = loaded.shutdownGrace().plusSeconds(server.getLifecycle().getPreStop().getSleep().getSeconds());
    assertThat(Duration.ofSeconds(spec.getTerminationGracePeriodSeconds())).as("room for the graceful stop").isGreaterThan(stopBudget);
    assertThat(loaded.uploadAuth().mode()).isEqualTo(UploadAuthConfig.Mode.kubernetes);
    assertThat(server.getPorts().get(0).getContainerPort()).isEqualTo(loaded.port());

    assertRbac(objects, spec.getServiceAccountName(), deployment.getMetadata().getNamespace());
    Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
    Service service = only(objects, Service.class);
    assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
    assertThat(service.getSpec().getPorts().get(0).getPort()).isEqualTo(10000);
    assertThat(podLabels).containsAllEntriesOf(only(objects, NetworkPolicy.class).getSpec().getPodSelector().getMatchLabels());
    assertThat(podLabels).containsAllEntriesOf(only(objects, PodDisruptionBudget.class).getSpec().getSelector().getMatchLabels());

    assertOverlay(variant, objects, loaded, server);

    for (HasMetadata object : objects) {
      client.resource(object).create();
    }
    assertThat(
        client.apps().deployments().inNamespace(deployment.getMetadata().getNamespace()).withName(deployment.getMetadata().getName()).get())
        .isNotNull();
  }

  private static void assertSecure(PodSpec spec, Container server) {
    assertThat(spec.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(spec.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(server.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(server.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(server.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
  }

  private static void assertRbac(List<HasMetadata> objects, String serviceAccount, String namespace) {
    assertThat(only(objects, ServiceAccount.class).getMetadata().getName()).isEqualTo(serviceAccount);
    ClusterRoleBinding binding = only(objects, ClusterRoleBinding.class);
    assertThat(binding.getSubjects()).singleElement().satisfies(subject -> {
      assertThat(subject.getName()).isEqualTo(serviceAccount);
      assertThat(subject.getNamespace()).isEqualTo(namespace);
    });
    ClusterRole role = only(objects, ClusterRole.class);
    assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
    Map<String, List<String>> grants = new HashMap<>();
    for (PolicyRule rule : role.getRules()) {
      rule.getResources().forEach(resource -> grants.put(resource, rule.getVerbs()));
    }
    assertThat(grants).as("exactly what cleanup and upload authentication need").isEqualTo(Map.of(
        "pods", List.of("get", "list", "watch"), "namespaces", List.of("get", "list", "watch"),
        "tokenreviews", List.of("create"), "subjectaccessreviews", List.of("create")));
  }

  private void assertOverlay(String variant, List<HasMetadata> objects, ServerConfig loaded, Container server) {
    switch (variant) {
      case "nodeport" -> {
        Service service = only(objects, Service.class);
        assertThat(service.getSpec().getType()).isEqualTo("NodePort");
        assertThat(service.getSpec().getPorts().get(0).getNodePort()).isEqualTo(31000);
      }
      case "ingress" -> {
        Ingress ingress = only(objects, Ingress.class);
        var backend = ingress.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend().getService();
        assertThat(backend.getName()).isEqualTo(only(objects, Service.class).getMetadata().getName());
        assertThat(ingress.getMetadata().getAnnotations()).containsEntry("nginx.ingress.kubernetes.io/proxy-body-size", "0")
            .containsEntry("nginx.ingress.kubernetes.io/proxy-request-buffering", "off");
        assertThat(ingress.getSpec().getTls()).isNotEmpty();
        assertThat(loaded.trustedProxies()).as("the ingress controller names the client").isNotEmpty();
      }
      case "tls" -> {
        assertThat(loaded.tls()).isPresent();
        assertThat(server.getReadinessProbe().getHttpGet().getScheme()).isEqualTo("HTTPS");
        assertThat(server.getVolumeMounts()).anySatisfy(mount -> assertThat(mount.getMountPath()).isEqualTo(TLS_DIR));
      }
      case "s3" -> assertObjectStoreMode(objects, loaded, server);
      default -> assertThat(loaded.tls()).isEmpty();
    }
    if (!variant.equals("s3")) {
      assertThat(loaded.s3()).isEmpty();
    }
  }

  private static void assertObjectStoreMode(List<HasMetadata> objects, ServerConfig loaded, Container server) {
    assertThat(loaded.s3()).hasValueSatisfying(s3 -> assertThat(s3.spoolDir().getFileName()).hasToString("data"));
    assertThat(objects).noneMatch(PersistentVolumeClaim.class::isInstance);
    Deployment deployment = only(objects, Deployment.class);
    assertThat(deployment.getSpec().getReplicas()).isGreaterThanOrEqualTo(2);
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
    assertThat(deployment.getSpec().getTemplate().getSpec().getVolumes())
        .allSatisfy(volume -> assertThat(volume.getEmptyDir()).isNotNull());

    HorizontalPodAutoscaler autoscaler = only(objects, HorizontalPodAutoscaler.class);
    assertThat(autoscaler.getSpec().getScaleTargetRef().getName()).isEqualTo(deployment.getMetadata().getName());
    assertThat(autoscaler.getSpec().getMinReplicas()).isGreaterThanOrEqualTo(2);

    assertThat(server.getEnv()).anySatisfy(env -> {
      assertThat(env.getName()).isEqualTo("POD_NAMESPACE");
      assertThat(env.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
    });
    assertThat(server.getEnvFrom()).filteredOn(from -> from.getSecretRef() != null)
        .singleElement().satisfies(from -> assertThat(from.getSecretRef().getOptional()).isTrue());
    assertThat(only(objects, ServiceAccount.class).getMetadata().getAnnotations()).containsKey("eks.amazonaws.com/role-arn");

    Role role = only(objects, Role.class);
    assertThat(role.getRules()).singleElement().satisfies(rule -> {
      assertThat(rule.getResources()).containsExactly("leases");
      assertThat(rule.getVerbs()).containsExactlyInAnyOrder("get", "create", "update");
    });
    RoleBinding binding = only(objects, RoleBinding.class);
    assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
    assertThat(binding.getSubjects()).singleElement().satisfies(subject -> {
      assertThat(subject.getName()).isEqualTo(deployment.getSpec().getTemplate().getSpec().getServiceAccountName());
      assertThat(subject.getNamespace()).isEqualTo(deployment.getMetadata().getNamespace());
    });
  }

  /**
   * Every key must be an option of the server (the server cannot warn about unknown environment
   * variables, as the environment holds many), and every value must load. Paths inside the pod are
   * mapped to a directory standing in for its volumes, the TLS Secret included.
   */
  private ServerConfig loadAsTheServerWould(Map<String, String> data) throws Exception {
    Set<String> variables = new CommandLine(new ServerCommand()).getCommandSpec().options().stream()
        .map(option -> "STAGING_" + option.longestName().substring(2).replace('-', '_').toUpperCase(Locale.ROOT))
        .collect(Collectors.toSet());
    assertThat(variables).containsAll(data.keySet());

    Path tls = Files.createDirectories(pod.resolve("tls"));
    var certificate = new SelfSignedCertificate();
    certificate.writeCertificate(tls.resolve("tls.crt"));
    certificate.writePkcs1Key(tls.resolve("tls.key"));
    Map<String, String> environment = new HashMap<>();
    // Created: the S3 overlay's spool directory must exist.
    Path volume = Files.createDirectories(pod.resolve("data"));
    data.forEach((key, value) -> environment.put(key, value.replace(TLS_DIR, tls.toString()).replace(DATA_DIR, volume.toString())));
    var out = new StringWriter();
    return ConfigLoader.load(new String[0], environment, new PrintWriter(out)).orElseThrow();
  }
}
