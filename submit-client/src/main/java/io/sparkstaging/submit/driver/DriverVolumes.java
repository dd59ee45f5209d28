package io.sparkstaging.submit.driver;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.sparkstaging.common.config.ConfigException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code spark.kubernetes.driver.volumes.TYPE.NAME.*}, read as Spark reads them (the 4.0 keys
 * included): hostPath, emptyDir, nfs and persistentVolumeClaim, whose {@code OnDemand} claim is
 * created with the driver when a storage class and size are given.
 */
final class DriverVolumes {
  static final String PREFIX = "spark.kubernetes.driver.volumes.";

  /** One volume: what the pod gets, where the Spark container mounts it, and the claim to create, if any. */
  record Mounted(Volume volume, VolumeMount mount, Optional<PersistentVolumeClaim> claim) {}

  private DriverVolumes() {}

  static List<Mounted> parse(SubmitRequest request, String resourcePrefix, String appId) {
    Map<String, String> conf = request.conf();
    var options = request.confWithPrefix(PREFIX);
    var volumes = new LinkedHashSet<String>();
    for (String key : options.keySet()) {
      String[] parts = key.split("\\.", 3);
      if (parts.length < 3) {
        throw new ConfigException(PREFIX + key + ": expected " + PREFIX + "TYPE.NAME.OPTION");
      }
      volumes.add(parts[0] + "." + parts[1]);
    }
    var mounted = new ArrayList<Mounted>();
    var paths = new LinkedHashMap<String, String>();
    int index = 0;
    for (String volume : volumes) {
      String type = volume.substring(0, volume.indexOf('.'));
      String name = volume.substring(volume.indexOf('.') + 1);
      var read = new Options(options, volume);
      String path = read.required("mount.path", type);
      String other = paths.putIfAbsent(path, volume);
      if (other != null) {
        throw new ConfigException(PREFIX + volume + ".mount.path: " + path + " is also where " + PREFIX + other + " is mounted");
      }
      if (read.optional("mount.subPath").isPresent() && read.optional("mount.subPathExpr").isPresent()) {
        throw new ConfigException(PREFIX + volume + ": give mount.subPath or mount.subPathExpr, not both");
      }
      boolean readOnly = Boolean.parseBoolean(read.optional("mount.readOnly").orElse("false"));
      var mount = new VolumeMountBuilder().withName(name).withMountPath(path).withReadOnly(readOnly)
          .withSubPath(read.optional("mount.subPath").orElse("")).withSubPathExpr(read.optional("mount.subPathExpr").orElse("")).build();
      var builder = new VolumeBuilder().withName(name);
      Optional<PersistentVolumeClaim> claim = Optional.empty();
      switch (type) {
        case "hostPath" -> builder.withNewHostPath(read.required("options.path", type), read.optional("options.type").orElse(""));
        case "emptyDir" -> builder.withNewEmptyDir().withMedium(read.optional("options.medium").orElse(""))
            .withSizeLimit(read.optional("options.sizeLimit").map(Quantity::new).orElse(null)).endEmptyDir();
        case "nfs" ->
          builder.withNewNfs().withPath(read.required("options.path", type)).withServer(read.required("options.server", type)).endNfs();
        case "persistentVolumeClaim" -> {
          String claimName = read.required("options.claimName", type).replace("OnDemand", resourcePrefix + "-driver-pvc-" + index);
          Optional<String> storageClass = read.optional("options.storageClass");
          Optional<String> size = read.optional("options.sizeLimit");
          if (storageClass.isPresent() && size.isPresent()) {
            claim = Optional.of(new PersistentVolumeClaimBuilder().withNewMetadata().withName(claimName)
                .addToLabels(read.prefixed("label.")).addToLabels("spark-app-selector", appId)
                .addToAnnotations(read.prefixed("annotation."))
                .endMetadata()
                .withNewSpec().withStorageClassName(storageClass.get())
                .withAccessModes(Boolean.parseBoolean(conf.getOrDefault("spark.kubernetes.legacy.useReadWriteOnceAccessMode", "false"))
                    ? "ReadWriteOnce" : "ReadWriteOncePod")
                .withNewResources().addToRequests("storage", new Quantity(size.get())).endResources().endSpec().build());
          }
          builder.withNewPersistentVolumeClaim(claimName, readOnly);
        }
        default -> throw new ConfigException(PREFIX + volume + ": volume type '" + type
            + "' is not one Spark supports (hostPath, emptyDir, nfs, persistentVolumeClaim)");
      }
      mounted.add(new Mounted(builder.build(), mount, claim));
      index++;
    }
    return mounted;
  }

  /** The options of one volume. */
  private record Options(Map<String, String> all, String volume) {
    Optional<String> optional(String option) {
      return Optional.ofNullable(all.get(volume + "." + option));
    }

    String required(String option, String type) {
      return optional(option)
          .orElseThrow(() -> new ConfigException(PREFIX + volume + "." + option + " is required for " + type + " volumes"));
    }

    Map<String, String> prefixed(String prefix) {
      var values = new LinkedHashMap<String, String>();
      all.forEach((key, value) -> {
        if (key.startsWith(volume + "." + prefix)) {
          values.put(key.substring((volume + "." + prefix).length()), value);
        }
      });
      return values;
    }
  }
}
