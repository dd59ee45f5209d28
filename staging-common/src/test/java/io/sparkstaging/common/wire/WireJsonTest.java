package io.sparkstaging.common.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The JSON of the wire records, pinned both ways by {@link WireFixtures}: what the server writes is
 * exactly the fixture, and the fixture reads back as the record. The mapper is strict, as the
 * original client's is (it fails on unknown properties), so a field added to a v0 answer fails here
 * first. The submit client's own reading and writing is pinned to the same fixtures by its {@code
 * ClientJsonTest}.
 */
class WireJsonTest {
  private static final ObjectMapper STRICT = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private static <T> void pinned(String file, T record, Class<T> type) throws IOException {
    assertThat(STRICT.writeValueAsString(record)).isEqualTo(WireFixtures.json(file));
    assertThat(STRICT.readValue(WireFixtures.json(file), type)).isEqualTo(record);
  }

  @Test
  void theV0ReceiptHasExactlyTheOriginalClientsTwoFields() throws IOException {
    pinned("upload-receipt.json", new UploadReceipt("3f0c2b9e8d7a6f5e4d3c2b1a09f8e7d6", "q2V0cmV0LWJ1dC1ub3QtcmVhbGx5LXNlY3JldC0xMjM0NTY"),
        UploadReceipt.class);
  }

  @Test
  void theV1ReceiptAddsSizeAndDigest() throws IOException {
    pinned("bundle-receipt.json",
        new BundleReceipt("3f0c2b9e8d7a6f5e4d3c2b1a09f8e7d6", "q2V0cmV0LWJ1dC1ub3QtcmVhbGx5LXNlY3JldC0xMjM0NTY", 6,
            "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"),
        BundleReceipt.class);
  }

  @Test
  void everyErrorHasACodeAndAMessage() throws IOException {
    pinned("error.json", new ErrorBody("payload_too_large", "the bundle is larger than the 4 GiB this server accepts"), ErrorBody.class);
  }

  @Test
  void theOwnerDocumentIsTheOriginalServersResourcesOwner() throws IOException {
    pinned("bundle-owner.json", new BundleOwner("spark-jobs", Map.of("spark-app-selector", "spark-0123"), BundleOwner.OwnerType.Pod),
        BundleOwner.class);
  }

  private static final String JAR = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";
  private static final String SCRIPT = "0f343b0931126a20f133d67c2b018a3b5f7d6b1f6b4d05d0f1f3b5f8e6a2c9d1";
  private static final List<ManifestFile> FILES =
      List.of(new ManifestFile("app.jar", JAR, 6, 0644), new ManifestFile("run.sh", SCRIPT, 12, 0755));

  @Test
  void stagingByDigestAsksWhichBlobsAreMissing() throws IOException {
    pinned("blob-query.json", new BlobQuery(List.of(SCRIPT, JAR)), BlobQuery.class);
    pinned("missing-blobs.json", new MissingBlobs(List.of(JAR)), MissingBlobs.class);
  }

  @Test
  void aCommitNamesTheOwnerAndTheFilesAndItsReceiptTheManifestsDigest() throws IOException {
    pinned("manifest-commit.json",
        new ManifestCommit(new BundleOwner("spark-jobs", Map.of("spark-app-selector", "spark-0123"), BundleOwner.OwnerType.Pod), FILES),
        ManifestCommit.class);
    pinned("manifest-receipt.json", new ManifestReceipt("3f0c2b9e8d7a6f5e4d3c2b1a09f8e7d6",
        "q2V0cmV0LWJ1dC1ub3QtcmVhbGx5LXNlY3JldC0xMjM0NTY", 2, 18, new Manifest(FILES).sha256()), ManifestReceipt.class);
  }
}
