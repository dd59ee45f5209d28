package io.sparkstaging.submit.stage;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.sparkstaging.common.wire.BlobQuery;
import io.sparkstaging.common.wire.BundleOwner;
import io.sparkstaging.common.wire.BundleReceipt;
import io.sparkstaging.common.wire.ErrorBody;
import io.sparkstaging.common.wire.ManifestCommit;
import io.sparkstaging.common.wire.ManifestFile;
import io.sparkstaging.common.wire.ManifestReceipt;
import io.sparkstaging.common.wire.MissingBlobs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON this client reads and writes: the staging server's wire records, and {@code stage -o
 * json}. Written field by field with jackson-core's streaming generator and parser, not bound by a
 * mapper: a mapper finds a record's components by reflection, and in a fresh JVM its first use parses
 * annotations and generates accessors, which every short {@code stage} paid (docs/benchmarks.md,
 * scenario 6). The JSON is the server's to the byte ({@code ClientJsonTest} pins it to the server's
 * fixtures).
 *
 * <p>Answers are read as a newer server may write them: fields this client does not use are skipped.
 * A field it uses that is absent, null or of another type fails the reading with the field's name.
 */
public final class ClientJson {
  private static final JsonFactory FACTORY = new JsonFactory();

  private ClientJson() {}

  static byte[] blobQuery(BlobQuery query) {
    return bytes(json -> {
      json.writeStartObject();
      writeStrings(json, "digests", query.digests());
      json.writeEndObject();
    });
  }

  static byte[] manifestCommit(ManifestCommit commit) {
    return bytes(json -> {
      json.writeStartObject();
      json.writeFieldName("owner");
      writeOwner(json, commit.owner());
      json.writeArrayFieldStart("files");
      for (ManifestFile file : commit.files()) {
        json.writeStartObject();
        json.writeStringField("name", file.name());
        json.writeStringField("sha256", file.sha256());
        json.writeNumberField("size", file.size());
        json.writeNumberField("mode", file.mode());
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    });
  }

  /** The owner document, as the {@code Bundle-Owner} header carries it. */
  static String owner(BundleOwner owner) {
    return text(json -> writeOwner(json, owner));
  }

  /**
   * One JSON object on one line, its fields in the map's order.
   *
   * @param fields each value a string, a whole number or a list of strings
   */
  public static String object(Map<String, ?> fields) {
    return text(json -> {
      json.writeStartObject();
      for (Map.Entry<String, ?> field : fields.entrySet()) {
        Object value = field.getValue();
        if (value instanceof String string) {
          json.writeStringField(field.getKey(), string);
        } else if (value instanceof Long || value instanceof Integer) {
          json.writeNumberField(field.getKey(), ((Number) value).longValue());
        } else if (value instanceof List<?> list) {
          writeStrings(json, field.getKey(), list);
        } else {
          throw new IllegalArgumentException("field " + field.getKey() + " holds a " + value.getClass().getName());
        }
      }
      json.writeEndObject();
    });
  }

  static MissingBlobs missingBlobs(InputStream in) throws IOException {
    return new MissingBlobs(Fields.read(in).strings("missing"));
  }

  static ManifestReceipt manifestReceipt(InputStream in) throws IOException {
    Fields answer = Fields.read(in);
    return new ManifestReceipt(answer.string("resourceId"), answer.string("resourceSecret"), answer.smallWhole("files"),
        answer.whole("bytes"), answer.string("manifestSha256"));
  }

  static BundleReceipt bundleReceipt(InputStream in) throws IOException {
    Fields answer = Fields.read(in);
    return new BundleReceipt(answer.string("resourceId"), answer.string("resourceSecret"), answer.whole("size"), answer.string("sha256"));
  }

  /** A refusal's body; its fields may be absent, since a proxy or an older server may have answered. */
  static ErrorBody errorBody(InputStream in) throws IOException {
    Fields answer = Fields.read(in);
    return new ErrorBody(answer.optionalString("error"), answer.optionalString("message"));
  }

  private static void writeOwner(JsonGenerator json, BundleOwner owner) throws IOException {
    json.writeStartObject();
    json.writeStringField("ownerNamespace", owner.ownerNamespace());
    json.writeObjectFieldStart("ownerLabels");
    for (Map.Entry<String, String> label : owner.ownerLabels().entrySet()) {
      json.writeStringField(label.getKey(), label.getValue());
    }
    json.writeEndObject();
    json.writeStringField("ownerType", owner.ownerType().name());
    json.writeEndObject();
  }

  private static void writeStrings(JsonGenerator json, String name, List<?> strings) throws IOException {
    json.writeArrayFieldStart(name);
    for (Object string : strings) {
      json.writeString((String) string);
    }
    json.writeEndArray();
  }

  private interface Writing {
    void writeTo(JsonGenerator json) throws IOException;
  }

  private static byte[] bytes(Writing writing) {
    var out = new ByteArrayOutputStream();
    try (JsonGenerator json = FACTORY.createGenerator(out)) {
      writing.writeTo(json);
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON into memory failed", e);
    }
    return out.toByteArray();
  }

  private static String text(Writing writing) {
    return new String(bytes(writing), StandardCharsets.UTF_8);
  }

  /** An answer's fields, each value as parsed: a string, a long, another number, a boolean, null, a list or a map. */
  private record Fields(Map<String, Object> values) {
    static Fields read(InputStream in) throws IOException {
      try (JsonParser parser = FACTORY.createParser(in)) {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
          throw new IOException("the answer is not a JSON object");
        }
        @SuppressWarnings("unchecked")
        var values = (Map<String, Object>) value(parser);
        if (parser.nextToken() != null) {
          throw new IOException("the answer goes on after its JSON object");
        }
        return new Fields(values);
      }
    }

    private static Object value(JsonParser parser) throws IOException {
      return switch (parser.currentToken()) {
        case START_OBJECT -> {
          var map = new LinkedHashMap<String, Object>();
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            map.put(name, value(parser));
          }
          yield map;
        }
        case START_ARRAY -> {
          var list = new ArrayList<>();
          while (parser.nextToken() != JsonToken.END_ARRAY) {
            list.add(value(parser));
          }
          yield list;
        }
        case VALUE_STRING -> parser.getText();
        case VALUE_NUMBER_INT ->
          parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? parser.getBigIntegerValue() : parser.getLongValue();
        case VALUE_NUMBER_FLOAT -> parser.getDecimalValue();
        case VALUE_TRUE, VALUE_FALSE -> parser.getBooleanValue();
        case VALUE_NULL -> null;
        default -> throw new IOException("unexpected " + parser.currentToken() + " in the answer");
      };
    }

    String string(String name) throws IOException {
      if (values.get(name) instanceof String string) {
        return string;
      }
      throw wrong(name, "a string");
    }

    String optionalString(String name) throws IOException {
      return values.get(name) == null ? null : string(name);
    }

    long whole(String name) throws IOException {
      if (values.get(name) instanceof Long whole) {
        return whole;
      }
      throw wrong(name, "a whole number");
    }

    int smallWhole(String name) throws IOException {
      long whole = whole(name);
      if (whole != (int) whole) {
        throw wrong(name, "a 32-bit whole number");
      }
      return (int) whole;
    }

    List<String> strings(String name) throws IOException {
      if (values.get(name) instanceof List<?> list) {
        var strings = new ArrayList<String>(list.size());
        for (Object item : list) {
          if (!(item instanceof String string)) {
            throw wrong(name, "an array of strings");
          }
          strings.add(string);
        }
        return strings;
      }
      throw wrong(name, "an array of strings");
    }

    private IOException wrong(String name, String expected) {
      Object value = values.get(name);
      String found = !values.containsKey(name) ? "absent" : value == null ? "null" : value instanceof String ? "a string"
          : value instanceof List ? "an array" : value instanceof Map ? "an object" : value.toString();
      return new IOException("the answer's \"" + name + "\" should be " + expected + ", but is " + found);
    }
  }
}
