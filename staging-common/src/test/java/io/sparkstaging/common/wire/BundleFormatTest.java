package io.sparkstaging.common.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class BundleFormatTest {
  @Test
  void aRepeatedNameGetsACounterBeforeItsExtension() {
    Set<String> used = new HashSet<>();

    assertThat(Stream.of("app.jar", "app.jar", "app.jar", "README", "README", ".env", ".env", "a.tar.gz", "a.tar.gz")
        .map(name -> BundleFormat.uniqueName(name, used)))
        .containsExactly("app.jar", "app-1.jar", "app-2.jar", "README", "README-1", ".env", ".env-1", "a.tar.gz", "a.tar-1.gz");
  }

  @Test
  void onlyTheOwnersExecuteBitMakesAFileExecutable() {
    assertThat(BundleFormat.isExecutable(BundleFormat.modeOf(true))).isTrue();
    assertThat(BundleFormat.isExecutable(BundleFormat.modeOf(false))).isFalse();
    assertThat(BundleFormat.isExecutable(0655)).isFalse();
    assertThat(BundleFormat.isExecutable(0100)).isTrue();
  }

  @Test
  void gzipIsToldByItsFirstBytesAndDecompressed() throws IOException {
    byte[] tar = "ustar-ish bytes".getBytes(StandardCharsets.UTF_8);
    var compressed = new ByteArrayOutputStream();
    try (var gzip = new GZIPOutputStream(compressed)) {
      gzip.write(tar);
    }

    assertThat(BundleFormat.tarStreamOf(new ByteArrayInputStream(compressed.toByteArray())).readAllBytes()).isEqualTo(tar);
    assertThat(BundleFormat.tarStreamOf(new ByteArrayInputStream(tar)).readAllBytes()).isEqualTo(tar);
    assertThat(BundleFormat.tarStreamOf(new ByteArrayInputStream(new byte[] {0x1f})).readAllBytes()).containsExactly(0x1f);
    assertThat(BundleFormat.tarStreamOf(new ByteArrayInputStream(new byte[0])).readAllBytes()).isEmpty();
  }
}
