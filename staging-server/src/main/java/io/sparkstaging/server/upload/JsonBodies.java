package io.sparkstaging.server.upload;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.sparkstaging.common.wire.Problem;
import io.sparkstaging.server.errors.StagingException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.stream.Collectors;
import org.apache.commons.io.input.BoundedInputStream;

/**
 * Reads the JSON bodies of staging by digest, whatever their declared type, exactly (unknown
 * fields are refused, and no value is coerced: {@code 420.5} is not a mode, nor {@code "5"} a
 * size) and within a size: a refusal names the field and says what it must be.
 */
final class JsonBodies {
  /** Room for a manifest of the most files a bundle may hold, with long names. */
  static final long MAX_BODY = 64L << 20;
  private static final ObjectMapper MAPPER = exact(new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES).enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT));

  private JsonBodies() {}

  private static ObjectMapper exact(ObjectMapper mapper) {
    for (LogicalType scalar : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
      mapper.coercionConfigFor(scalar).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    }
    mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail).setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    return mapper;
  }

  /** The body as an object of {@code type}; {@code expected} shows its shape in the refusal. */
  static <T> T read(InputStream body, Class<T> type, String expected) {
    return convert(tree(body, expected), type, "", expected);
  }

  /** The body as a JSON object. */
  static JsonNode tree(InputStream body, String expected) {
    try {
      byte[] json = BoundedInputStream.builder().setInputStream(body).setMaxCount(MAX_BODY + 1).get().readAllBytes();
      if (json.length > MAX_BODY) {
        throw new StagingException(Problem.PAYLOAD_TOO_LARGE, "the body is larger than " + (MAX_BODY >> 20) + " MiB");
      }
      JsonNode root = MAPPER.readTree(json);
      if (root == null || !root.isObject()) {
        throw invalid("the body must be " + expected);
      }
      return root;
    } catch (JsonProcessingException e) {
      throw invalid("the body " + syntaxError(e) + "; expected " + expected);
    } catch (IOException e) {
      throw new StagingException(Problem.UPLOAD_INTERRUPTED, "the body ended before it was complete", e);
    }
  }

  /** {@code node}, which is {@code name} in the body ("" for the body itself), as an object of {@code type}. */
  static <T> T convert(JsonNode node, Class<T> type, String name, String expected) {
    try {
      return MAPPER.treeToValue(node, type);
    } catch (JsonMappingException e) {
      throw invalid(refusal(e, node, name, expected));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw invalid("expected " + expected);
    }
  }

  private static String refusal(JsonMappingException e, JsonNode node, String name, String expected) {
    var field = new StringBuilder(name);
    JsonNode value = node;
    for (JsonMappingException.Reference step : e.getPath()) {
      if (step.getFieldName() != null) {
        field.append(field.isEmpty() ? "" : ".").append(step.getFieldName());
        value = value == null ? null : value.get(step.getFieldName());
      } else {
        field.append('[').append(step.getIndex()).append(']');
        value = value == null ? null : value.get(step.getIndex());
      }
    }
    String named = field.isEmpty() ? "the body" : field.toString();
    if (e instanceof UnrecognizedPropertyException unknown) {
      return named + " is not a known field; expected "
          + unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
    }
    if (value == null) {
      return named + " is missing; expected " + expected;
    }
    if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
      return named + " must be " + shape(mismatch.getTargetType()) + (value.isNull() ? ", not null" : "") + "; expected " + expected;
    }
    return named + ": " + e.getOriginalMessage() + "; expected " + expected;
  }

  private static String shape(Class<?> type) {
    if (CharSequence.class.isAssignableFrom(type)) {
      return "a string";
    }
    if (type == long.class || type == int.class || type == short.class || type == byte.class || type == Long.class
        || type == Integer.class || type == Short.class || type == Byte.class) {
      return "a whole number";
    }
    if (type == double.class || type == float.class || Number.class.isAssignableFrom(type)) {
      return "a number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    return type.isArray() || Collection.class.isAssignableFrom(type) ? "an array" : "an object";
  }

  /** What is wrong with text that is not JSON, and where, for a refusal that names what it is ("the body ends ..."). */
  static String syntaxError(JsonProcessingException e) {
    if (e instanceof JsonEOFException) {
      // Jackson's own message names where the unclosed value started, with a source it redacts.
      return "ends before its JSON does (" + where(e.getLocation()) + ")";
    }
    return "is not valid JSON near " + where(e.getLocation()) + ": " + e.getOriginalMessage();
  }

  private static String where(JsonLocation location) {
    return "line " + location.getLineNr() + ", column " + location.getColumnNr();
  }

  static StagingException invalid(String reason) {
    return new StagingException(Problem.BAD_REQUEST, reason);
  }
}
