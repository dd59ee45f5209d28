package io.sparkstaging.submit.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;

/**
 * The operators' published SparkApplication schemas (see {@code operator-schemas/README.md}), as
 * the API server applies them, and stricter in one way: a field the schema does not know is an
 * error here, where the API server would silently drop it, so that a field written in the wrong
 * place fails a test rather than vanish in a cluster.
 */
public final class OperatorSchemas {
  static final String KUBEFLOW = "kubeflow-spark-operator-v2.5.2-sparkapplication-v1beta2.json";
  static final String APACHE = "apache-spark-kubernetes-operator-1.0.0-sparkapplication-v1.json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> MARKERS = Set.of("x-kubernetes-int-or-string", "x-kubernetes-list-map-keys", "x-kubernetes-list-type",
      "x-kubernetes-map-type", "x-kubernetes-preserve-unknown-fields", "nullable");

  private static final JsonSchema KUBEFLOW_SCHEMA = sparkApplication(KUBEFLOW);
  private static final JsonSchema APACHE_SCHEMA = sparkApplication(APACHE);
  private static final JsonSchema POD_TEMPLATE_SCHEMA = podTemplateSpec();

  private OperatorSchemas() {}

  /** What the kubeflow operator's schema finds wrong in {@code app}, its templates (which that schema leaves alone) included. */
  public static List<String> kubeflowErrors(JsonNode app) {
    var errors = new java.util.ArrayList<>(errors(KUBEFLOW_SCHEMA, app));
    for (String role : List.of("driver", "executor")) {
      JsonNode template = app.path("spec").path(role).path("template");
      if (!template.isMissingNode()) {
        errors(POD_TEMPLATE_SCHEMA, template).forEach(error -> errors.add("spec." + role + ".template: " + error));
      }
    }
    return errors;
  }

  public static List<String> apacheErrors(JsonNode app) {
    return errors(APACHE_SCHEMA, app);
  }

  /** The SparkApplication's schema. */
  static JsonSchema sparkApplication(String file) {
    ObjectNode schema = (ObjectNode) load(file);
    // The API server takes these of every object; generated CRDs do not always list them.
    ObjectNode properties = (ObjectNode) schema.get("properties");
    properties.putObject("apiVersion").put("type", "string");
    properties.putObject("kind").put("type", "string");
    properties.putObject("metadata").put("type", "object");
    return compile(strict(schema));
  }

  /**
   * A pod template's schema, from the Apache operator's CRD (which spells out the whole of
   * {@code PodTemplateSpec}): kubeflow's leaves its templates unchecked.
   */
  static JsonSchema podTemplateSpec() {
    return compile(strict(load(APACHE).at("/properties/spec/properties/driverSpec/properties/podTemplateSpec").deepCopy()));
  }

  static List<String> errors(JsonSchema schema, JsonNode document) {
    return schema.validate(document).stream().map(ValidationMessage::getMessage).sorted().toList();
  }

  private static JsonNode load(String file) {
    try (InputStream in = OperatorSchemas.class.getResourceAsStream("/operator-schemas/" + file)) {
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Unknown fields refused wherever the schema does not preserve them; {@code nullable} as JSON Schema spells it. */
  private static JsonNode strict(JsonNode node) {
    if (node instanceof ObjectNode object) {
      if (object.has("properties") && !object.path("x-kubernetes-preserve-unknown-fields").asBoolean()
          && !object.has("additionalProperties")) {
        object.put("additionalProperties", false);
      }
      if (object.path("nullable").asBoolean() && object.path("type").isTextual()) {
        ArrayNode types = JSON.createArrayNode().add(object.get("type").asText()).add("null");
        object.set("type", types);
      }
      object.elements().forEachRemaining(OperatorSchemas::strict);
    } else if (node instanceof ArrayNode array) {
      array.forEach(OperatorSchemas::strict);
    }
    return node;
  }

  private static JsonSchema compile(JsonNode schema) {
    var builder = JsonMetaSchema.builder(JsonMetaSchema.getV4());
    MARKERS.forEach(marker -> builder.keyword(new NonValidationKeyword(marker)));
    JsonMetaSchema meta = builder.build();
    var factory = JsonSchemaFactory.builder(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4)).metaSchema(meta)
        .defaultMetaSchemaIri(meta.getIri()).build();
    return factory.getSchema(schema);
  }
}
