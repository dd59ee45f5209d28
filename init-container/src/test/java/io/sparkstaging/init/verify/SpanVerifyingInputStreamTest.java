package io.sparkstaging.init.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkstaging.init.verify.SpanVerifyingInputStream.Span;
import io.sparkstaging.server.support.Bundles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpanVerifyingInputStreamTest {
  // Two files and an empty one, with gaps (headers, padding) between and after them.
  private static final byte[] STREAM = Bundles.random(10_000, 7);
  private static final List<Span> SPANS = List.of(span("a", 512, 3000), span("empty", 4096, 0), span("b", 4608, 5000));

  private static Span span(String name, int offset, int size) {
    return new Span(name, offset, size, Bundles.sha256Hex(Arrays.copyOfRange(STREAM, offset, offset + size)));
  }

  @Test
  void filesWhoseBytesMatchPassWhateverTheReadsSizes() throws IOException {
    for (int chunk : new int[] {1, 7, 511, 4096, 20_000}) {
      var verifying = new SpanVerifyingInputStream(new ByteArrayInputStream(STREAM), SPANS);
      assertThat(readAll(verifying, chunk)).isEqualTo(STREAM);
      verifying.requireAllChecked();
    }
  }

  @Test
  void aChangedByteInAFileIsRefusedNamingItOnceItsLastBytePasses() throws IOException {
    byte[] changed = STREAM.clone();
    changed[6000] ^= 1;
    var verifying = new SpanVerifyingInputStream(new ByteArrayInputStream(changed), SPANS);

    assertThat(verifying.readNBytes(9000)).hasSize(9000);
    assertThatThrownBy(() -> verifying.readNBytes(1000)).isInstanceOf(ContentRejected.class).hasMessageContaining("file 'b'")
        .hasMessageContaining("SHA-256");
  }

  @Test
  void aChangedByteOutsideTheFilesIsNotTheirConcern() throws IOException {
    byte[] changed = STREAM.clone();
    changed[100] ^= 1;
    changed[9900] ^= 1;
    var verifying = new SpanVerifyingInputStream(new ByteArrayInputStream(changed), SPANS);

    readAll(verifying, 4096);
    verifying.requireAllChecked();
  }

  @Test
  void aStreamThatEndsBeforeAFileDoesIsRefused() throws IOException {
    var verifying = new SpanVerifyingInputStream(new ByteArrayInputStream(Arrays.copyOf(STREAM, 9000)), SPANS);

    readAll(verifying, 4096);
    assertThatThrownBy(verifying::requireAllChecked).isInstanceOf(ContentRejected.class).hasMessageContaining("file 'b'")
        .hasMessageContaining("ended after 9000 bytes");
  }

  private static byte[] readAll(InputStream in, int chunk) throws IOException {
    var all = new java.io.ByteArrayOutputStream();
    byte[] buffer = new byte[chunk];
    for (int read; (read = in.read(buffer, 0, chunk)) >= 0;) {
      all.write(buffer, 0, read);
    }
    return all.toByteArray();
  }
}
