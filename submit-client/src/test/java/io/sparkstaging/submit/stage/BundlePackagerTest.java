package io.sparkstaging.submit.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkstaging.common.config.ConfigException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundlePackagerTest {
  @TempDir
  Path dir;

  private Path file(String relative, String content) throws IOException {
    Path path = dir.resolve(relative);
    Files.createDirectories(path.getParent());
    return Files.writeString(path, content);
  }

  private static Map<String, String> entries(InputStream bundle) throws IOException {
    var entries = new LinkedHashMap<String, String>();
    var tar = new TarArchiveInputStream(bundle);
    for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
      entries.put(entry.getName(), new String(tar.readAllBytes(), StandardCharsets.UTF_8));
    }
    return entries;
  }

  @Test
  void packsAFlatTarWithRepeatedNamesNumberedAsTheOriginalDid() throws IOException {
    var packager = new BundlePackager(List.of(file("a/app.jar", "one"), file("b/app.jar", "two"), file("c/app.jar", "three"),
        file("README", "r"), file("d/README", "s")), false);
    var out = new ByteArrayOutputStream();
    var progress = new AtomicLong();

    packager.writeTo(out, progress::addAndGet);

    assertThat(entries(new ByteArrayInputStream(out.toByteArray())))
        .containsExactly(Map.entry("app.jar", "one"), Map.entry("app-1.jar", "two"), Map.entry("app-2.jar", "three"),
            Map.entry("README", "r"), Map.entry("README-1", "s"));
    assertThat(progress.get()).isEqualTo(packager.contentBytes()).isEqualTo(13);
  }

  @Test
  void gzipsOnRequest() throws IOException {
    var out = new ByteArrayOutputStream();

    new BundlePackager(List.of(file("data.csv", "a,b")), true).writeTo(out, bytes -> {});

    assertThat(out.toByteArray()[0] & 0xff).isEqualTo(0x1f);
    assertThat(entries(new GZIPInputStream(new ByteArrayInputStream(out.toByteArray())))).containsExactly(Map.entry("data.csv", "a,b"));
  }

  @Test
  void refusesWhatIsNotAReadableFile() {
    assertThatThrownBy(() -> new BundlePackager(List.of(dir.resolve("missing.jar")), false))
        .isInstanceOf(ConfigException.class).hasMessageContaining("missing.jar is not a readable file");
    assertThatThrownBy(() -> new BundlePackager(List.of(dir), false)).isInstanceOf(ConfigException.class);
  }
}
