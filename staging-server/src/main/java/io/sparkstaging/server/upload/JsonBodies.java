package io.sparkstaging.server.upload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkstaging.common.wire.Problem;
import io.sparkstaging.server.errors.StagingException;
import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.io.input.BoundedInputStream;

/**
 * Reads the JSON bodies of staging by digest, whatever their declared type, strictly (unknown
 * fields are refused) and within a size: a refusal says what was expected.
 */
final class JsonBodies {
  /** Room for a manifest of the most files a bundle may hold, with long names. */
  static final long MAX_BODY = 64L << 20;
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES).enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);

  private JsonBodies() {}

  /** The body as an object of {@code type}; {@code expected} shows its shape in the refusal. */
  static <T> T read(InputStream body, Class<T> type, String expected) {
    return convert(tree(body, expected), type, expected);
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
      throw invalid("the body is not valid JSON (" + e.getOriginalMessage() + "); expected " + expected);
    } catch (IOException e) {
      throw new StagingException(Problem.UPLOAD_INTERRUPTED, "the body ended before it was complete", e);
    }
  }

  static <T> T convert(JsonNode node, Class<T> type, String expected) {
    try {
      return MAPPER.treeToValue(node, type);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw invalid("expected " + expected + (e instanceof JsonProcessingException json ? ": " + json.getOriginalMessage() : ""));
    }
  }

  static StagingException invalid(String reason) {
    return new StagingException(Problem.BAD_REQUEST, reason);
  }
}
