package io.sparkstaging.submit.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.sparkstaging.common.config.ConfigException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and writes a manifest's fields by their dotted path ({@code spec.deps.jars}), so that a
 * field of the wrong type is refused in one line that names it, and every field this project does
 * not touch is written back exactly as it was read.
 */
final class ManifestFields {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private final ObjectNode root;

  ManifestFields(ObjectNode root) {
    this.root = root;
  }

  Optional<String> text(String path) {
    return node(path).map(node -> {
      if (!node.isValueNode()) {
        throw new ConfigException(path + ": expected a string");
      }
      return node.asText();
    });
  }

  List<String> list(String path) {
    return node(path).map(node -> {
      if (!node.isArray()) {
        throw new ConfigException(path + ": expected a list of strings");
      }
      var values = new ArrayList<String>();
      node.forEach(item -> {
        if (!item.isTextual()) {
          throw new ConfigException(path + ": expected a list of strings, found " + item);
        }
        values.add(item.asText());
      });
      return List.copyOf(values);
    }).orElse(List.of());
  }

  /** A comma-separated string, as the Apache operator's fields and Spark's list properties are. */
  List<String> commaList(String path) {
    return text(path).map(ManifestFields::split).orElse(List.of());
  }

  static List<String> split(String commaSeparated) {
    return Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  Map<String, String> map(String path) {
    var values = new LinkedHashMap<String, String>();
    node(path).ifPresent(node -> {
      if (!node.isObject()) {
        throw new ConfigException(path + ": expected a map of strings");
      }
      node.fields().forEachRemaining(field -> {
        if (!field.getValue().isValueNode() || field.getValue().isNull()) {
          throw new ConfigException(path + "." + field.getKey() + ": expected a string");
        }
        values.put(field.getKey(), field.getValue().asText());
      });
    });
    return values;
  }

  /** A pod template field ({@code PodTemplateSpec}: metadata and spec), as the Pod Spark's templates are. */
  Optional<Pod> podTemplate(String path) {
    return node(path).map(node -> {
      if (!node.isObject()) {
        throw new ConfigException(path + ": expected a pod template (metadata and spec)");
      }
      try {
        PodTemplateSpec template = SERIALIZATION.convertValue(node, PodTemplateSpec.class);
        return new Pod("v1", "Pod", template.getMetadata(), template.getSpec(), null);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(path + ": not a pod template: " + e.getMessage().lines().findFirst().orElse(""), e);
      }
    });
  }

  void setText(String path, String value) {
    parent(path).put(leaf(path), value);
  }

  /** Sets a list field, or removes it when there is nothing in it. */
  void setList(String path, List<String> values) {
    if (values.isEmpty()) {
      remove(path);
    } else {
      var array = parent(path).putArray(leaf(path));
      values.forEach(array::add);
    }
  }

  void setPodTemplate(String path, Pod pod) {
    PodTemplateSpec template = new PodTemplateSpec(pod.getMetadata(), pod.getSpec());
    parent(path).set(leaf(path), SERIALIZATION.convertValue(template, JsonNode.class));
  }

  /** Replaces a map of strings: {@code removed} keys go, {@code added} ones are set. */
  void editMap(String path, Iterable<String> removed, Map<String, String> added) {
    ObjectNode map = node(path).filter(JsonNode::isObject).map(ObjectNode.class::cast).orElseGet(() -> parent(path).putObject(leaf(path)));
    removed.forEach(map::remove);
    added.forEach(map::put);
  }

  void remove(String path) {
    node(parentPath(path)).filter(JsonNode::isObject).ifPresent(parent -> ((ObjectNode) parent).remove(leaf(path)));
  }

  Optional<JsonNode> node(String path) {
    JsonNode node = root;
    for (String part : path.split("\\.")) {
      node = node.path(part);
    }
    return node.isMissingNode() || node.isNull() ? Optional.empty() : Optional.of(node);
  }

  private ObjectNode parent(String path) {
    ObjectNode node = root;
    for (String part : parentPath(path).split("\\.")) {
      JsonNode child = node.get(part);
      if (child == null || child.isNull()) {
        child = node.putObject(part);
      } else if (!child.isObject()) {
        throw new ConfigException(path + ": " + part + " must be an object");
      }
      node = (ObjectNode) child;
    }
    return node;
  }

  private static String parentPath(String path) {
    return path.substring(0, path.lastIndexOf('.'));
  }

  private static String leaf(String path) {
    return path.substring(path.lastIndexOf('.') + 1);
  }
}
