package io.sparkstaging.common.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ManifestTest {
  private static final String DIGEST = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";

  private static Manifest of(ManifestFile... files) {
    return new Manifest(List.of(files));
  }

  @Test
  void aManifestOfPlainNamesAndDigestsIsFine() {
    assertThat(of(new ManifestFile("app.jar", DIGEST, 6, 0644), new ManifestFile("app-1.jar", DIGEST, 6, 0755)).problem(10)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "../etc/passwd | files[0].name must be a plain file name, not a path",
      "lib/a.jar     | files[0].name must be a plain file name, not a path",
      "..            | files[0].name must be a plain file name, not a path",
      "''            | files[0].name is empty"})
  void aNameThatIsNotAPlainFileNameIsRefused(String name, String problem) {
    assertThat(of(new ManifestFile(name, DIGEST, 1, 0644)).problem(10)).contains(problem);
  }

  @Test
  void everyOtherFlawIsNamed() {
    assertThat(of(new ManifestFile("a\nb", DIGEST, 1, 0644)).problem(10)).contains("files[0].name holds a control character");
    assertThat(of(new ManifestFile("x".repeat(256), DIGEST, 1, 0644)).problem(10)).contains("files[0].name is longer than 255 bytes");
    assertThat(of(new ManifestFile("a", DIGEST, 1, 0644), new ManifestFile("a", DIGEST, 1, 0644)).problem(10))
        .contains("files[1].name 'a' is used twice");
    assertThat(of(new ManifestFile("a", DIGEST.toUpperCase(), 1, 0644)).problem(10))
        .contains("files[0].sha256 is not 64 lower-case hex digits");
    assertThat(of(new ManifestFile("a", "abc", 1, 0644)).problem(10)).contains("files[0].sha256 is not 64 lower-case hex digits");
    assertThat(of(new ManifestFile("a", DIGEST, -1, 0644)).problem(10)).contains("files[0].size is negative");
    assertThat(of(new ManifestFile("a", DIGEST, 1, 04755)).problem(10)).contains("files[0].mode is not a permission mode (0 to 0777)");
    assertThat(of().problem(10)).contains("the manifest lists no file");
    assertThat(new Manifest(IntStream.range(0, 3).mapToObj(i -> new ManifestFile("f" + i, DIGEST, 1, 0644)).toList()).problem(2))
        .contains("the manifest lists 3 files, more than the 2 a bundle may hold");
  }

  @Test
  void theDigestCoversNamesSizesModesAndOrder() {
    var a = new ManifestFile("a", DIGEST, 1, 0644);
    var b = new ManifestFile("b", DIGEST, 1, 0644);

    assertThat(of(a, b).sha256()).isEqualTo(of(a, b).sha256()).isNotEqualTo(of(b, a).sha256())
        .isNotEqualTo(of(a, new ManifestFile("b", DIGEST, 1, 0755)).sha256())
        .isNotEqualTo(of(a, new ManifestFile("b", DIGEST, 2, 0644)).sha256())
        .matches("[0-9a-f]{64}");
  }

  @Test
  void theLinesReadBackAsTheManifestAndAnythingElseIsRefusedWithItsLine() {
    var manifest = of(new ManifestFile("app.jar", DIGEST, 6, 0644), new ManifestFile("run me.sh", DIGEST, 12, 0755));

    assertThat(manifest.lines()).isEqualTo(DIGEST + " 6 644 app.jar\n" + DIGEST + " 12 755 run me.sh\n");
    assertThat(Manifest.parse(manifest.lines())).isEqualTo(manifest);
    assertThat(Manifest.parse("")).isEqualTo(of());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Manifest.parse(DIGEST + " 6 644 app.jar"))
        .hasMessage("the manifest does not end with a newline");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Manifest.parse(DIGEST + " 6 644 a\n" + DIGEST + " six 644 b\n"))
        .hasMessage("line 2 of the manifest is not SHA256 SIZE MODE NAME");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Manifest.parse(DIGEST + " 6 999 a\n"))
        .hasMessage("line 1 of the manifest is not SHA256 SIZE MODE NAME");
  }
}
