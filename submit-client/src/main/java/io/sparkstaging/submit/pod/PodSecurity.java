package io.sparkstaging.submit.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import java.util.ArrayList;

/**
 * What the {@code restricted} Pod Security Standard asks of a Spark pod, which many clusters
 * enforce: the pod runs as non-root with the runtime's default seccomp profile, and the Spark
 * container cannot gain privileges and keeps no capabilities. The stock Spark images name their
 * user ({@code USER spark}), which the kubelet cannot check against {@code runAsNonRoot}, so the
 * Spark container runs as that user's uid, 185, unless the pod or container already says which
 * user. Settings the pod already has are kept.
 */
public final class PodSecurity {
  /** The uid of the {@code spark} user in the stock Apache Spark images. */
  public static final long SPARK_UID = 185;

  private PodSecurity() {}

  public static PodSpec restricted(PodSpec podSpec, String sparkContainer) {
    var builder = new PodSpecBuilder(podSpec).editOrNewSecurityContext()
        .withRunAsNonRoot(orDefault(podSpec.getSecurityContext() == null ? null : podSpec.getSecurityContext().getRunAsNonRoot(), true))
        .endSecurityContext();
    if (podSpec.getSecurityContext() == null || podSpec.getSecurityContext().getSeccompProfile() == null) {
      builder.editSecurityContext().withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().endSecurityContext();
    }
    boolean podSetsUser = podSpec.getSecurityContext() != null && podSpec.getSecurityContext().getRunAsUser() != null;
    var containers = new ArrayList<Container>();
    for (Container container : podSpec.getContainers()) {
      containers.add(container.getName().equals(sparkContainer) ? new ContainerBuilder(container)
          .withSecurityContext(hardened(container.getSecurityContext(), podSetsUser ? null : SPARK_UID)).build() : container);
    }
    return builder.withContainers(containers).build();
  }

  /** No privilege escalation and no capabilities, and {@code uid} (if not null) unless a user is set already. */
  static SecurityContext hardened(SecurityContext given, Long uid) {
    var context = given == null ? new SecurityContextBuilder() : new SecurityContextBuilder(given);
    if (given == null || given.getAllowPrivilegeEscalation() == null) {
      context.withAllowPrivilegeEscalation(false);
    }
    if (given == null || given.getCapabilities() == null || given.getCapabilities().getDrop() == null
        || given.getCapabilities().getDrop().isEmpty()) {
      context.editOrNewCapabilities().withDrop("ALL").endCapabilities();
    }
    if (uid != null && (given == null || given.getRunAsUser() == null)) {
      context.withRunAsUser(uid);
    }
    return context.build();
  }

  private static Boolean orDefault(Boolean value, boolean fallback) {
    return value != null ? value : fallback;
  }
}
