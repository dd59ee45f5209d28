package io.sparkstaging.submit.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.sparkstaging.common.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A user's pod template ({@code spark.kubernetes.driver.podTemplateFile} or
 * {@code …executor.podTemplateFile}) and which of its containers is Spark's: the one named by
 * {@code …podTemplateContainerName}, else the first, else a new one, as Spark chooses.
 *
 * @param pod the template, its Spark container included
 * @param sparkContainer that container's name, or {@code defaultName} if it had none
 * @param source where the template came from, for messages: a key and its file, or a manifest's field
 */
public record PodTemplate(Pod pod, String sparkContainer, String source) {

  /** The template Spark starts from when the user gives none: one container, named so. */
  public static PodTemplate empty(String containerName, String source) {
    return new PodTemplate(new PodBuilder().withNewSpec().addNewContainer().withName(containerName).endContainer().endSpec().build(),
        containerName, source);
  }

  /** The same template, decorated. */
  public PodTemplate withPod(Pod decorated) {
    return new PodTemplate(decorated, sparkContainer, source);
  }

  /** @throws ConfigException naming {@code key} and the file when it cannot be read, is not a Pod, or lacks the named container */
  public static PodTemplate load(Path file, Optional<String> containerName, String key, String defaultName) {
    Object parsed;
    try (InputStream in = Files.newInputStream(file)) {
      parsed = new KubernetesSerialization().unmarshal(in);
    } catch (IOException e) {
      throw new ConfigException(key + "=" + file + ": cannot read it: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new ConfigException(key + "=" + file + ": not a pod template: " + firstLine(e), e);
    }
    if (!(parsed instanceof Pod pod)) {
      String kind = parsed instanceof HasMetadata object ? object.getKind() : parsed == null ? "empty" : parsed.getClass().getSimpleName();
      throw new ConfigException(key + "=" + file + ": a pod template must be a Pod, this is " + kind);
    }
    return of(pod, containerName, key + "=" + file, key.replace("File", "ContainerName"), defaultName);
  }

  /**
   * @param where names the template in messages: a key and its file, or a manifest's field
   * @param nameSetting names where {@code containerName} came from, in messages
   * @throws ConfigException when the named container is missing
   */
  public static PodTemplate of(Pod pod, Optional<String> containerName, String where, String nameSetting, String defaultName) {
    Pod template = new PodBuilder(pod).editOrNewSpec().endSpec().build();
    var containers = template.getSpec().getContainers();
    Container chosen;
    if (containerName.isPresent()) {
      chosen = containers.stream().filter(c -> containerName.get().equals(c.getName())).findFirst().orElseThrow(() -> new ConfigException(
          where + ": it has no container named '" + containerName.get() + "' (" + nameSetting + ")"));
    } else if (!containers.isEmpty()) {
      chosen = containers.get(0);
    } else {
      return new PodTemplate(new PodBuilder(template).editSpec().addNewContainer().withName(defaultName).endContainer().endSpec().build(),
          defaultName, where);
    }
    if (chosen.getName() == null || chosen.getName().isBlank()) {
      chosen.setName(defaultName);
    }
    return new PodTemplate(template, chosen.getName(), where);
  }

  private static String firstLine(RuntimeException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.lines().findFirst().orElse(message);
  }
}
