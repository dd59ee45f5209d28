package io.sparkstaging.submit.operator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.sparkstaging.common.config.ConfigException;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** A SparkApplication manifest, as read: one YAML or JSON document, for one of the operators in {@link OperatorDialect#ALL}. */
public final class SparkAppManifest {
  private static final YAMLMapper YAML = new YAMLMapper();

  private final ObjectNode root;
  private final OperatorDialect dialect;
  private final String source;

  private SparkAppManifest(ObjectNode root, OperatorDialect dialect, String source) {
    this.root = root;
    this.dialect = dialect;
    this.source = source;
  }

  /**
   * @param source names the manifest in messages: its file, or standard input
   * @throws ConfigException naming {@code source} when it is not one SparkApplication document of a known operator
   */
  public static SparkAppManifest parse(String text, String source) {
    List<JsonNode> documents;
    try (var parser = YAML.createParser(text)) {
      documents =
          YAML.readValues(parser, JsonNode.class).readAll().stream().filter(node -> !node.isNull() && !node.isMissingNode()).toList();
    } catch (IOException | RuntimeException e) {
      throw new ConfigException(source + ": not YAML or JSON: " + firstLine(e), e);
    }
    if (documents.size() != 1 || !documents.get(0).isObject()) {
      throw new ConfigException(source + ": expected one SparkApplication, found " + documents.size() + " documents");
    }
    ObjectNode root = (ObjectNode) documents.get(0);
    try {
      var dialect = OperatorDialect.of(root.path("apiVersion").asText(), root.path("kind").asText());
      if (!root.path("spec").isObject()) {
        throw new ConfigException("spec: required");
      }
      return new SparkAppManifest(root, dialect, source);
    } catch (ConfigException e) {
      throw new ConfigException(source + ": " + e.getMessage(), e);
    }
  }

  /** @throws ConfigException naming the source and the field */
  public AppDescription describe() {
    try {
      return dialect.describe(new ManifestFields(root));
    } catch (ConfigException e) {
      throw new ConfigException(source + ": " + e.getMessage(), e);
    }
  }

  public String apiVersion() {
    return dialect.apiVersion();
  }

  /** {@code metadata.name}, else {@code metadata.generateName}, else empty: for naming what is made for it. */
  public String name() {
    return new ManifestFields(root).text("metadata.name").or(() -> new ManifestFields(root).text("metadata.generateName")).orElse("");
  }

  public Optional<String> namespace() {
    return new ManifestFields(root).text("metadata.namespace");
  }

  void rewrite(Rewrite rewrite) {
    dialect.rewrite(new ManifestFields(root), rewrite);
  }

  void setNamespace(String namespace) {
    new ManifestFields(root).setText("metadata.namespace", namespace);
  }

  /** The manifest as it stands, for the API server. */
  public ObjectNode tree() {
    return root.deepCopy();
  }

  ResourceDefinitionContext resourceContext() {
    String[] groupVersion = dialect.apiVersion().split("/");
    return new ResourceDefinitionContext.Builder().withGroup(groupVersion[0]).withVersion(groupVersion[1]).withKind("SparkApplication")
        .withPlural(dialect.plural()).withNamespaced(true).build();
  }

  public String toYaml() {
    try {
      return YAML.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String firstLine(Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.lines().findFirst().orElse(message);
  }
}
