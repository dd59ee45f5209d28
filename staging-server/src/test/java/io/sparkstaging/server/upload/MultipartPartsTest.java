package io.sparkstaging.server.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkstaging.server.errors.StagingException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MultipartPartsTest {
  private static final String BOUNDARY = "b0undary";

  @ParameterizedTest
  @ValueSource(ints = {1, 7, 100, 65536})
  void partsComeOutExactlyHoweverTheBodyIsSplit(int readSize) throws IOException {
    // Content that holds the boundary's beginnings, and a CRLF right before the real boundary.
    byte[] bundle = new byte[300_000];
    new Random(7).nextBytes(bundle);
    byte[] tricky = ("\r\n--" + BOUNDARY.substring(0, 5) + "\r\n--").getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(tricky, 0, bundle, 1000, tricky.length);
    byte[] body = body(part("resources", bundle), part("resourcesOwner", "{\"a\":1}".getBytes(StandardCharsets.UTF_8)));

    var parts = new MultipartParts(trickling(body, readSize), BOUNDARY, 8192);
    List<String> names = new ArrayList<>();
    List<byte[]> contents = new ArrayList<>();
    for (var part = parts.next(); part.isPresent(); part = parts.next()) {
      names.add(part.get().name());
      contents.add(part.get().content().readAllBytes());
    }

    assertThat(names).containsExactly("resources", "resourcesOwner");
    assertThat(contents.get(0)).isEqualTo(bundle);
    assertThat(new String(contents.get(1), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
  }

  @Test
  void aPartLeftUnreadIsSkipped() throws IOException {
    byte[] body = body(part("first", new byte[200_000]), part("second", "kept".getBytes(StandardCharsets.UTF_8)));
    var parts = new MultipartParts(trickling(body, 4096), BOUNDARY, 8192);

    parts.next().orElseThrow().content().read(new byte[10]);
    var second = parts.next().orElseThrow();

    assertThat(second.name()).isEqualTo("second");
    assertThat(second.content().readAllBytes()).asString(StandardCharsets.UTF_8).isEqualTo("kept");
    assertThat(parts.next()).isEmpty();
  }

  @Test
  void aBodyCutBeforeTheClosingBoundaryIsMalformed() throws IOException {
    String cut = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"resources\"\r\n\r\nsome bytes and then the end";
    var part = new MultipartParts(stream(cut), BOUNDARY, 8192).next().orElseThrow();

    assertThatThrownBy(() -> part.content().readAllBytes()).isInstanceOf(StagingException.class)
        .hasMessage("malformed multipart body: the body ended before the closing boundary");
  }

  @Test
  void overlongPartHeadersAreNamedAsSuch() {
    String body = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"x\"\r\nX-Padding: " + "p".repeat(10_000) + "\r\n\r\nx\r\n--"
        + BOUNDARY + "--\r\n";

    assertThatThrownBy(() -> new MultipartParts(stream(body), BOUNDARY, 8192).next()).isInstanceOf(StagingException.class)
        .hasMessage("malformed multipart body: a part's headers exceed 8192 bytes");
  }

  @Test
  void aContentTypeWithoutBoundaryIsRefused() {
    assertThatThrownBy(() -> MultipartParts.boundaryOf("multipart/form-data")).isInstanceOf(StagingException.class)
        .hasMessageContaining("names no boundary");
    assertThat(MultipartParts.boundaryOf("multipart/form-data; boundary=\"abc\"")).isEqualTo("abc");
  }

  @Test
  void anInterruptedBodyIsAnIoErrorNotAMalformedOne() throws IOException {
    byte[] body = body(part("resources", new byte[100_000]));
    InputStream breaking = new FilterInputStream(new ByteArrayInputStream(body, 0, 50_000)) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int read = super.read(b, off, len);
        if (read < 0) {
          throw new IOException("connection reset");
        }
        return read;
      }
    };
    var part = new MultipartParts(breaking, BOUNDARY, 8192).next().orElseThrow();

    assertThatThrownBy(() -> part.content().readAllBytes()).isInstanceOf(IOException.class).hasMessage("connection reset");
  }

  private static byte[] part(String name, byte[] content) throws IOException {
    var out = new ByteArrayOutputStream();
    out.write(
        ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.write(content);
    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  private static byte[] body(byte[]... parts) throws IOException {
    var out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.write(part);
    }
    out.write(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  private static InputStream stream(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
  }

  /** Hands out at most {@code size} bytes a read, as a slow network would. */
  private static InputStream trickling(byte[] body, int size) {
    return new FilterInputStream(new ByteArrayInputStream(body)) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return super.read(b, off, Math.min(len, size));
      }
    };
  }
}
