package io.sparkstaging.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkstaging.common.wire.BundleOwner;
import io.sparkstaging.common.wire.Manifest;
import io.sparkstaging.common.wire.ManifestFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The metadata format is pinned by a file as version 1 servers wrote it: every later server must read it and write it alike. */
class MetadataCodecTest {
  private static final BundleRecord RECORD = new BundleRecord(new BundleId("600e136bcabcb9a06d7d55b3d7eb6753"),
      new BundleOwner("spark-jobs", Map.of("spark-app-selector", "spark-0d28e4b9b33045249ca60720a730aa8f", "spark-role", "driver"),
          BundleOwner.OwnerType.Pod),
      SecretDigest.fromBase64("3Vs1Kmwm27wXGcaNK4llYJmjMMyvb9LJX5vT5FnjdV0="), 9216,
      "665aed5dafa945083e509b096bdfc2d974ed8e3dd15ca755cefc0cf6b961763e", Instant.parse("2026-11-29T06:00:34.458803959Z"),
      Optional.of(Instant.parse("2026-11-29T06:00:36.093122100Z")), Optional.of(Instant.parse("2026-11-29T06:00:35.523778526Z")));

  private final MetadataCodec codec = new MetadataCodec();

  @Test
  void readsAVersionOneFile() throws IOException {
    assertThat(codec.decode(fixture())).isEqualTo(RECORD);
  }

  @Test
  void writesWhatAVersionOneFileHolds() throws IOException {
    var mapper = new ObjectMapper();
    assertThat(mapper.readTree(codec.encode(RECORD))).isEqualTo(mapper.readTree(fixture()));
  }

  @Test
  void readsAFileWrittenBeforeTheEventTimesExisted() throws IOException {
    String older = new String(fixture(), StandardCharsets.UTF_8).replaceAll(",\\s*\"(firstDownloadedAt|ownerSeenAt)\": \"[^\"]+\"", "");

    BundleRecord record = codec.decode(older.getBytes(StandardCharsets.UTF_8));

    assertThat(record.firstDownloadedAt()).isEmpty();
    assertThat(record.ownerSeenAt()).isEmpty();
  }

  @Test
  void anOwnerOfAnUnknownTypeOrWithoutLabelsIsRefused() throws IOException {
    String json = new String(fixture(), StandardCharsets.UTF_8);

    assertThatThrownBy(() -> codec.decode(json.replace("\"Pod\"", "\"Job\"").getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IOException.class).hasMessageContaining("Job");
    assertThatThrownBy(() -> codec.decode(json.replaceAll("\"ownerLabels\": \\{[^}]*\\},", "").getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IOException.class).hasMessageContaining("incomplete owner");
  }

  @Test
  void aManifestBundleIsVersionTwoWhichVersionOneServersRefuseRatherThanMisread() throws IOException {
    var manifestBundle = new BundleRecord(RECORD.id(), RECORD.owner(), RECORD.secretDigest(), 10240, RECORD.sha256Hex(), RECORD.createdAt(),
        RECORD.firstDownloadedAt(), RECORD.ownerSeenAt(), BundleRecord.Layout.MANIFEST);

    String json = new String(codec.encode(manifestBundle), StandardCharsets.UTF_8);

    assertThat(json).contains("\"version\":2").contains("\"layout\":\"manifest\"");
    assertThat(codec.decode(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(manifestBundle);
    assertThatThrownBy(() -> codec.decode(json.replace("\"layout\":\"manifest\"", "\"layout\":\"zip\"").getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IOException.class).hasMessageContaining("unsupported metadata version 2 with layout zip");
  }

  @Test
  void aManifestIsStoredInItsOwnRecordsAndReadBackChecked() throws IOException {
    var manifest = new Manifest(List.of(new ManifestFile("app.jar", RECORD.sha256Hex(), 5, 0644)));

    byte[] stored = codec.encodeManifest(manifest);

    assertThat(new String(stored, StandardCharsets.UTF_8)).startsWith("{\"version\":1,\"files\":[{\"name\":\"app.jar\"");
    assertThat(codec.decodeManifest(stored)).isEqualTo(manifest);
    assertThatThrownBy(
        () -> codec.decodeManifest(new String(stored, StandardCharsets.UTF_8).replace("app.jar", "../x").getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IOException.class).hasMessageContaining("not a path");
  }

  private static byte[] fixture() throws IOException {
    try (InputStream in = MetadataCodecTest.class.getResourceAsStream("/store/bundle-v1.json")) {
      return in.readAllBytes();
    }
  }
}
