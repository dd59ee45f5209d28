package io.sparkstaging.server.upload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkstaging.common.kubernetes.KubernetesNames;
import io.sparkstaging.common.wire.BundleOwner;
import io.sparkstaging.common.wire.BundleOwner.OwnerType;
import io.sparkstaging.common.wire.Problem;
import io.sparkstaging.server.errors.StagingException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads and validates the owner document. Every rejection names the offending field, because the
 * person who reads it is fixing a submission by hand.
 *
 * <p>The rules are Kubernetes' own ({@link KubernetesNames}).
 */
public final class OwnerParser {
  private static final Set<String> FIELDS = Set.of("ownerNamespace", "ownerLabels", "ownerType");
  private static final int MAX_LABELS = 64;

  private final ObjectMapper mapper;

  public OwnerParser(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  public BundleOwner parse(String json) {
    JsonNode root;
    try {
      root = mapper.readTree(json);
    } catch (JsonProcessingException e) {
      throw invalid("resourcesOwner", JsonBodies.syntaxError(e));
    }
    if (root == null || !root.isObject()) {
      throw invalid("resourcesOwner", "must be a JSON object");
    }
    root.fieldNames().forEachRemaining(name -> {
      if (!FIELDS.contains(name)) {
        throw invalid(name, "is not a known field; expected " + String.join(", ", FIELDS.stream().sorted().toList()));
      }
    });
    return new BundleOwner(namespace(root.get("ownerNamespace")), labels(root.get("ownerLabels")), type(root.get("ownerType")));
  }

  private static String namespace(JsonNode node) {
    String namespace = requiredText(node, "ownerNamespace");
    if (!KubernetesNames.isNamespace(namespace)) {
      throw invalid("ownerNamespace",
          "must be a valid Kubernetes namespace name (lower-case letters, digits and '-', at most 63 characters)");
    }
    return namespace;
  }

  private static Map<String, String> labels(JsonNode node) {
    if (node == null || node.isNull()) {
      throw invalid("ownerLabels", "is required");
    }
    if (!node.isObject()) {
      throw invalid("ownerLabels", "must be a JSON object of label keys to values");
    }
    if (node.isEmpty()) {
      throw invalid("ownerLabels", "must hold at least one label, so that the owner's pods can be selected");
    }
    if (node.size() > MAX_LABELS) {
      throw invalid("ownerLabels", "must hold at most " + MAX_LABELS + " labels");
    }
    var labels = new LinkedHashMap<String, String>();
    node.fields().forEachRemaining(entry -> {
      String key = entry.getKey();
      if (!KubernetesNames.isLabelKey(key)) {
        throw invalid("ownerLabels", "key '" + key + "' is not a valid Kubernetes label key");
      }
      if (!entry.getValue().isTextual()) {
        throw invalid("ownerLabels", "value of '" + key + "' must be a string");
      }
      String value = entry.getValue().asText();
      if (!KubernetesNames.isLabelValue(value)) {
        throw invalid("ownerLabels", "value of '" + key + "' is not a valid Kubernetes label value");
      }
      labels.put(key, value);
    });
    return labels;
  }

  private static OwnerType type(JsonNode node) {
    String type = requiredText(node, "ownerType");
    return Arrays.stream(OwnerType.values())
        .filter(t -> t.name().equals(type))
        .findFirst()
        .orElseThrow(() -> invalid("ownerType", "'" + type + "' is not supported; expected one of "
            + Arrays.stream(OwnerType.values()).map(Enum::name).collect(Collectors.joining(", "))));
  }

  private static String requiredText(JsonNode node, String field) {
    if (node == null || node.isNull()) {
      throw invalid(field, "is required");
    }
    if (!node.isTextual()) {
      throw invalid(field, "must be a string");
    }
    return node.asText();
  }

  private static StagingException invalid(String field, String reason) {
    return new StagingException(Problem.BAD_REQUEST, "invalid owner: " + field + " " + reason);
  }
}
