package io.sparkstaging.submit.driver;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;

/**
 * Spark's scratch space for the driver, as Spark's client gives it: an emptyDir
 * {@code spark-local-dir-N} per directory ({@code $SPARK_LOCAL_DIRS} of the submitter, else
 * {@code spark.local.dir}, else {@code /var/data/spark-<uuid>}), in memory with
 * {@code spark.kubernetes.local.dirs.tmpfs}, and {@code SPARK_LOCAL_DIRS} naming them. Without it,
 * shuffle and spill data land in the container's writable layer.
 */
public record LocalDirsStep(SubmitRequest request) implements DriverStep {
  @Override
  public DriverSpec apply(DriverSpec spec) {
    // As Spark: a template that mounts spark-local-dir-* volumes into the Spark container has chosen its own.
    boolean templateHasThem = spec.pod().getSpec().getContainers().stream().filter(c -> c.getName().equals(spec.sparkContainer()))
        .flatMap(c -> c.getVolumeMounts().stream()).anyMatch(mount -> mount.getName().startsWith("spark-local-dir-"));
    if (templateHasThem) {
      String paths = spec.pod().getSpec().getContainers().stream().filter(c -> c.getName().equals(spec.sparkContainer()))
          .flatMap(c -> c.getVolumeMounts().stream()).filter(mount -> mount.getName().startsWith("spark-local-dir-"))
          .map(mount -> mount.getMountPath()).collect(java.util.stream.Collectors.joining(","));
      return spec.withPod(new PodBuilder(spec.pod()).editSpec().editMatchingContainer(c -> c.getName().equals(spec.sparkContainer()))
          .addNewEnv().withName("SPARK_LOCAL_DIRS").withValue(paths).endEnv().endContainer().endSpec().build());
    }
    String[] dirs = Optional.ofNullable(request.environment().get("SPARK_LOCAL_DIRS"))
        .or(() -> Optional.ofNullable(request.conf().get("spark.local.dir")))
        .orElse("/var/data/spark-" + UUID.randomUUID()).split(",");
    boolean tmpfs = Boolean.parseBoolean(request.conf("spark.kubernetes.local.dirs.tmpfs", "false"));
    var pod = new PodBuilder(spec.pod());
    for (int i = 0; i < dirs.length; i++) {
      String name = "spark-local-dir-" + (i + 1);
      String path = dirs[i].strip();
      pod.editSpec()
          .addToVolumes(new VolumeBuilder().withName(name).withNewEmptyDir().withMedium(tmpfs ? "Memory" : null).endEmptyDir().build())
          .editMatchingContainer(container -> container.getName().equals(spec.sparkContainer()))
          .addToVolumeMounts(new VolumeMountBuilder().withName(name).withMountPath(path).build())
          .endContainer()
          .endSpec();
    }
    pod.editSpec().editMatchingContainer(container -> container.getName().equals(spec.sparkContainer()))
        .addNewEnv().withName("SPARK_LOCAL_DIRS").withValue(String.join(",", Arrays.stream(dirs).map(String::strip).toList())).endEnv()
        .endContainer().endSpec();
    return spec.withPod(pod.build());
  }
}
