package io.sparkstaging.server.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sparkstaging.common.wire.BundleOwner;
import io.sparkstaging.common.wire.Problem;
import io.sparkstaging.server.errors.StagingException;
import io.sparkstaging.server.store.BundleId;
import io.sparkstaging.server.store.BundleRecord;
import io.sparkstaging.server.store.BundleStore;
import io.sparkstaging.server.store.PendingBundle;
import io.sparkstaging.server.store.SecretDigest;
import java.nio.channels.SeekableByteChannel;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BundleAccessTest {
  private static final String SECRET = "the-secret";
  private final BundleRecord record = new BundleRecord(BundleId.generate(new SecureRandom()),
      new BundleOwner("ns", Map.of("a", "b"), BundleOwner.OwnerType.Pod), SecretDigest.of(SECRET), 1, "00".repeat(32), Instant.EPOCH,
      Optional.empty(), Optional.empty());
  private final BundleAccess access = new BundleAccess(new OneBundle(record));

  @Test
  void acceptsTheBareSecretAsTheOriginalClientSendsIt() {
    assertThat(access.authorize(record.id().value(), SECRET)).isEqualTo(record);
  }

  @Test
  void acceptsABearerToken() {
    assertThat(access.authorize(record.id().value(), "Bearer " + SECRET)).isEqualTo(record);
    assertThat(access.authorize(record.id().value(), "bearer  " + SECRET + "\n")).isEqualTo(record);
  }

  @Test
  void unknownIdsAndWrongOrMissingSecretsAreIndistinguishable() {
    String unknownId = BundleId.generate(new SecureRandom()).value();
    var answers = new StagingException[] {
        refusal(unknownId, SECRET),
        refusal("../../etc/passwd", SECRET),
        refusal(record.id().value(), "wrong"),
        refusal(record.id().value(), null),
        refusal(record.id().value(), "Bearer "),
    };
    for (StagingException answer : answers) {
      assertThat(answer.problem()).isEqualTo(Problem.NOT_FOUND);
      assertThat(answer.getMessage()).isEqualTo(answers[0].getMessage()).doesNotContain(SECRET);
    }
  }

  private StagingException refusal(String id, String authorization) {
    return catchThrowableOfType(StagingException.class, () -> access.authorize(id, authorization));
  }

  /** Only find() matters to access checks. */
  private record OneBundle(BundleRecord record) implements BundleStore {
    @Override
    public Optional<BundleRecord> find(BundleId id) {
      return id.equals(record.id()) ? Optional.of(record) : Optional.empty();
    }

    @Override
    public PendingBundle create(long maxSize, long expectedSize) {
      throw new UnsupportedOperationException();
    }

    @Override
    public SeekableByteChannel open(BundleId id) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean delete(BundleId id) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Collection<BundleRecord> list() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void recordFirstDownload(BundleId id) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void recordOwnerSeen(BundleId id) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void checkWritable() {}

    @Override
    public void close() {}
  }
}
