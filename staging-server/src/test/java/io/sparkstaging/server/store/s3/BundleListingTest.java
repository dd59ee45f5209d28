package io.sparkstaging.server.store.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkstaging.common.wire.BundleOwner;
import io.sparkstaging.server.store.BundleId;
import io.sparkstaging.server.store.BundleRecord;
import io.sparkstaging.server.store.SecretDigest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.S3Object;

class BundleListingTest {
  private static final S3Keys KEYS = new S3Keys("p/");
  private static final BundleId VISIBLE = new BundleId("0".repeat(32));
  private static final BundleId HALF = new BundleId("1".repeat(32));
  private static final Instant T = Instant.parse("2026-11-28T10:00:00Z");

  private static S3Object object(String key, Instant modified) {
    return S3Object.builder().key(key).lastModified(modified).size(1L).build();
  }

  private static BundleRecord record(BundleId id) {
    return new BundleRecord(id, new BundleOwner("ns", Map.of("a", "b"), BundleOwner.OwnerType.Pod), SecretDigest.of("s"), 10, "ab", T,
        Optional.empty(),
        Optional.empty());
  }

  @Test
  void groupsKeysByBundleTakesTheEarliestEventsAndSetsIncompleteBundlesAside() {
    var listing = BundleListing.of(List.of(
        object(KEYS.content(VISIBLE), T),
        object(KEYS.metadata(VISIBLE), T),
        object(KEYS.event(VISIBLE, S3Keys.DOWNLOADED, T.plusSeconds(9)), T),
        object(KEYS.event(VISIBLE, S3Keys.DOWNLOADED, T.plusSeconds(5)), T),
        object(KEYS.event(VISIBLE, S3Keys.OWNER_SEEN, T.plusSeconds(7)), T),
        object(KEYS.content(HALF), T.plusSeconds(3)),
        object("p/bundles/not-an-id/content", T),
        object("elsewhere/file", T)), KEYS, id -> Optional.of(record(id)));

    assertThat(listing.visible()).containsOnlyKeys(VISIBLE);
    assertThat(listing.visible().get(VISIBLE).firstDownloadedAt()).contains(T.plusSeconds(5));
    assertThat(listing.visible().get(VISIBLE).ownerSeenAt()).contains(T.plusSeconds(7));
    assertThat(listing.leftovers()).containsOnlyKeys(HALF);
    assertThat(listing.leftovers().get(HALF).keys()).containsExactly(KEYS.content(HALF));
    assertThat(listing.leftovers().get(HALF).newest()).isEqualTo(T.plusSeconds(3));
  }

  @Test
  void aBundleWhoseMetadataCannotBeReadIsALeftover() {
    var listing = BundleListing.of(List.of(object(KEYS.content(VISIBLE), T), object(KEYS.metadata(VISIBLE), T)), KEYS,
        id -> Optional.empty());

    assertThat(listing.visible()).isEmpty();
    assertThat(listing.leftovers()).containsOnlyKeys(VISIBLE);
  }
}
