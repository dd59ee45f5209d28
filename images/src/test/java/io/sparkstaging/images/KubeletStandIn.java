package io.sparkstaging.images;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns one container of a pod spec into {@code podman run} arguments, as the kubelet would run it:
 * the pod's and the container's security context merged, the memory limit, the environment with
 * its references resolved, and each volume made on the host the kubelet's way (an emptyDir open to
 * all, a claim handed to the fsGroup, a Secret's keys as read-only files behind {@code ..data}
 * links). Only what the project's pods use is supported; anything else is a test failure.
 */
final class KubeletStandIn {
  private static final Set<PosixFilePermission> EMPTY_DIR = PosixFilePermissions.fromString("rwxrwxrwx");
  private static final Set<PosixFilePermission> CLAIM = PosixFilePermissions.fromString("rwxrwxr-x");

  private final PodSpec pod;
  private final String namespace;
  private final Path volumesRoot;
  private final Function<String, ConfigMap> configMaps;
  private final Function<String, Secret> secrets;
  private final Map<String, Path> volumes = new HashMap<>();

  /** @param configMaps and {@code secrets} look up the pod's namespace's objects by name (null if missing) */
  KubeletStandIn(PodSpec pod, String namespace, Path volumesRoot, Function<String, ConfigMap> configMaps,
      Function<String, Secret> secrets) {
    this.pod = pod;
    this.namespace = namespace;
    this.volumesRoot = volumesRoot;
    this.configMaps = configMaps;
    this.secrets = secrets;
  }

  /** The host directory of a volume, made on first use. */
  Path volume(String name) throws IOException {
    Path existing = volumes.get(name);
    if (existing != null) {
      return existing;
    }
    Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("the pod mounts volume " + name + ", which it does not declare"));
    Path dir = Files.createDirectory(volumesRoot.resolve(name));
    Optional<Long> fsGroup = Optional.ofNullable(pod.getSecurityContext()).map(PodSecurityContext::getFsGroup);
    if (volume.getEmptyDir() != null) {
      Files.setPosixFilePermissions(dir, EMPTY_DIR);
      handOver(dir, fsGroup);
    } else if (volume.getPersistentVolumeClaim() != null) {
      Files.setPosixFilePermissions(dir, CLAIM);
      handOver(dir, fsGroup);
    } else if (volume.getSecret() != null) {
      Secret secret = secrets.apply(volume.getSecret().getSecretName());
      var data = new LinkedHashMap<String, byte[]>();
      if (secret != null && secret.getData() != null) {
        secret.getData().forEach((key, value) -> data.put(key, Base64.getDecoder().decode(value)));
      }
      writeAtomically(dir, select(data, volume.getSecret().getItems()), volume.getSecret().getDefaultMode(), fsGroup);
    } else if (volume.getConfigMap() != null) {
      ConfigMap map = configMaps.apply(volume.getConfigMap().getName());
      var data = new LinkedHashMap<String, byte[]>();
      if (map != null && map.getData() != null) {
        map.getData().forEach((key, value) -> data.put(key, value.getBytes(StandardCharsets.UTF_8)));
      }
      writeAtomically(dir, select(data, volume.getConfigMap().getItems()), volume.getConfigMap().getDefaultMode(), fsGroup);
    } else {
      throw new AssertionError("volume " + name + " is of a kind this stand-in does not make: " + volume);
    }
    volumes.put(name, dir);
    return dir;
  }

  /** The arguments of {@code podman run} after "run", up to and including the image and its arguments. */
  List<String> runArguments(Container container, List<String> options) throws IOException {
    var args = new ArrayList<String>(options);
    args.addAll(Podman.ULIMITS);
    SecurityContext security = Optional.ofNullable(container.getSecurityContext()).orElse(new SecurityContext());
    PodSecurityContext podSecurity = Optional.ofNullable(pod.getSecurityContext()).orElse(new PodSecurityContext());
    Long user = Optional.ofNullable(security.getRunAsUser()).orElse(podSecurity.getRunAsUser());
    Long group = Optional.ofNullable(security.getRunAsGroup()).orElse(podSecurity.getRunAsGroup());
    Boolean nonRoot = Optional.ofNullable(security.getRunAsNonRoot()).orElse(podSecurity.getRunAsNonRoot());
    if (Boolean.TRUE.equals(nonRoot) && Long.valueOf(0).equals(user)) {
      throw new AssertionError(container.getName() + ": runAsNonRoot with runAsUser 0 would not start");
    }
    if (user != null) {
      args.addAll(List.of("--user", user + (group != null ? ":" + group : "")));
    }
    if (podSecurity.getFsGroup() != null) {
      args.addAll(List.of("--group-add", podSecurity.getFsGroup().toString()));
    }
    Optional.ofNullable(podSecurity.getSupplementalGroups()).orElse(List.of())
        .forEach(g -> args.addAll(List.of("--group-add", g.toString())));
    if (Boolean.TRUE.equals(security.getReadOnlyRootFilesystem())) {
      // podman would mount tmpfs on /tmp, /var/tmp and /run of a read-only container; the kubelet does not.
      args.addAll(List.of("--read-only", "--read-only-tmpfs=false"));
    }
    if (Boolean.FALSE.equals(security.getAllowPrivilegeEscalation())) {
      args.addAll(List.of("--security-opt", "no-new-privileges"));
    }
    if (security.getCapabilities() != null) {
      Optional.ofNullable(security.getCapabilities().getDrop()).orElse(List.of()).forEach(cap -> args.add("--cap-drop=" + cap));
      Optional.ofNullable(security.getCapabilities().getAdd()).orElse(List.of()).forEach(cap -> args.add("--cap-add=" + cap));
    }
    String seccomp = security.getSeccompProfile() != null ? security.getSeccompProfile().getType()
        : podSecurity.getSeccompProfile() != null ? podSecurity.getSeccompProfile().getType() : "RuntimeDefault";
    if (!"RuntimeDefault".equals(seccomp)) {
      args.addAll(List.of("--security-opt", "seccomp=unconfined"));
    }
    if (container.getResources() != null && container.getResources().getLimits() != null) {
      Quantity memory = container.getResources().getLimits().get("memory");
      if (memory != null) {
        args.add("--memory=" + Quantity.getAmountInBytes(memory).toBigInteger());
      }
    }
    environment(container).forEach((name, value) -> args.addAll(List.of("--env", name + "=" + value)));
    for (VolumeMount mount : Optional.ofNullable(container.getVolumeMounts()).orElse(List.of())) {
      Path host = volume(mount.getName());
      if (mount.getSubPath() != null && !mount.getSubPath().isEmpty()) {
        host = host.resolve(mount.getSubPath());
      }
      boolean readOnly = Boolean.TRUE.equals(mount.getReadOnly()) || isProjected(mount.getName());
      args.addAll(List.of("--volume", host + ":" + mount.getMountPath() + (readOnly ? ":ro" : "")));
    }
    if (container.getCommand() != null && !container.getCommand().isEmpty()) {
      args.addAll(List.of("--entrypoint", new ObjectMapper().writeValueAsString(container.getCommand())));
    }
    args.add(container.getImage());
    args.addAll(Optional.ofNullable(container.getArgs()).orElse(List.of()));
    return args;
  }

  private Map<String, String> environment(Container container) {
    var environment = new LinkedHashMap<String, String>();
    for (EnvFromSource from : Optional.ofNullable(container.getEnvFrom()).orElse(List.of())) {
      if (from.getConfigMapRef() != null) {
        Optional.ofNullable(configMaps.apply(from.getConfigMapRef().getName())).map(ConfigMap::getData).ifPresent(environment::putAll);
      }
      if (from.getSecretRef() != null) {
        Optional.ofNullable(secrets.apply(from.getSecretRef().getName())).map(Secret::getData)
            .ifPresent(data -> data.forEach((key, value) -> environment.put(key, decode(value))));
      }
    }
    for (EnvVar variable : Optional.ofNullable(container.getEnv()).orElse(List.of())) {
      environment.put(variable.getName(), variable.getValueFrom() == null ? variable.getValue() : resolve(variable.getValueFrom()));
    }
    return environment;
  }

  private String resolve(EnvVarSource source) {
    if (source.getFieldRef() != null) {
      return switch (source.getFieldRef().getFieldPath()) {
        case "metadata.namespace" -> namespace;
        case "status.podIP" -> "127.0.0.1";
        default -> throw new AssertionError("field " + source.getFieldRef().getFieldPath() + " is not made by this stand-in");
      };
    }
    if (source.getSecretKeyRef() != null) {
      return decode(secrets.apply(source.getSecretKeyRef().getName()).getData().get(source.getSecretKeyRef().getKey()));
    }
    if (source.getConfigMapKeyRef() != null) {
      return configMaps.apply(source.getConfigMapKeyRef().getName()).getData().get(source.getConfigMapKeyRef().getKey());
    }
    throw new AssertionError("an environment reference this stand-in does not resolve: " + source);
  }

  private boolean isProjected(String name) {
    return pod.getVolumes().stream().anyMatch(v -> v.getName().equals(name) && (v.getSecret() != null || v.getConfigMap() != null));
  }

  private static Map<String, byte[]> select(Map<String, byte[]> data, List<KeyToPath> items) {
    if (items == null || items.isEmpty()) {
      return data;
    }
    var selected = new LinkedHashMap<String, byte[]>();
    items.forEach(item -> selected.put(item.getPath(), data.get(item.getKey())));
    return selected;
  }

  /**
   * The kubelet's layout for Secret and ConfigMap volumes: the files in a timestamped directory,
   * {@code ..data} a link to it, and each key a link through {@code ..data}, owned by root (and the
   * fsGroup), with the volume's mode (0644 by default).
   */
  private static void writeAtomically(Path dir, Map<String, byte[]> files, Integer defaultMode, Optional<Long> fsGroup) throws IOException {
    Path generation = Files.createDirectory(dir.resolve("..2026_01_01_00_00_00.000000001"));
    int mode = defaultMode == null ? 0644 : defaultMode;
    for (var file : files.entrySet()) {
      Path written = Files.write(generation.resolve(file.getKey()), file.getValue());
      Files.setAttribute(written, "unix:mode", mode);
      handOver(written, fsGroup);
    }
    Files.createSymbolicLink(dir.resolve("..data"), generation.getFileName());
    for (String key : files.keySet()) {
      Files.createSymbolicLink(dir.resolve(key), Path.of("..data", key));
    }
    Files.setAttribute(dir, "unix:mode", 01777);
  }

  /** What the kubelet does with an fsGroup: the group owns the volume, and new files inherit it. */
  private static void handOver(Path path, Optional<Long> fsGroup) throws IOException {
    if (fsGroup.isPresent()) {
      Files.setAttribute(path, "unix:gid", fsGroup.get().intValue());
      if (Files.isDirectory(path)) {
        Files.setAttribute(path, "unix:mode", (Integer) Files.getAttribute(path, "unix:mode") | 02000);
      }
    }
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }

}
