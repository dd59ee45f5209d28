package io.sparkstaging.submit.stage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Digests are remembered between runs only while the file is provably the same. */
class DigestCacheTest {
  private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

  @TempDir
  Path work;

  private Path file(String name, String content, Instant modified) throws IOException {
    Path file = Files.writeString(work.resolve(name), content);
    Files.setLastModifiedTime(file, FileTime.from(modified));
    return file;
  }

  private static BasicFileAttributes attributes(Path file) throws IOException {
    return Files.readAttributes(file, BasicFileAttributes.class);
  }

  @Test
  void aDigestLearnedInOneRunIsKnownInTheNextWhileTheFileIsUnchanged() throws IOException {
    Path cacheDir = work.resolve("cache");
    Path jar = file("app.jar", "application", NOW.minusSeconds(60));
    DigestCache first = DigestCache.in(Optional.of(cacheDir));
    first.put(jar, attributes(jar), "a".repeat(64), NOW);
    first.save();

    DigestCache second = DigestCache.in(Optional.of(cacheDir));
    assertThat(second.get(jar, attributes(jar))).contains("a".repeat(64));

    Files.writeString(jar, "application, changed");
    Files.setLastModifiedTime(jar, FileTime.from(NOW.minusSeconds(60)));
    assertThat(DigestCache.in(Optional.of(cacheDir)).get(jar, attributes(jar))).as("same time, other size").isEmpty();
  }

  @Test
  void aFileModifiedWithinTheLastTwoSecondsIsNeverRemembered() throws IOException {
    Path cacheDir = work.resolve("cache");
    Path jar = file("app.jar", "application", NOW.minusMillis(500));
    DigestCache cache = DigestCache.in(Optional.of(cacheDir));
    cache.put(jar, attributes(jar), "a".repeat(64), NOW);
    cache.save();

    assertThat(DigestCache.in(Optional.of(cacheDir)).get(jar, attributes(jar))).isEmpty();
  }

  @Test
  void anUnreadableOrUnwritableCacheIsNoCache() throws IOException {
    Path notADirectory = Files.writeString(work.resolve("file"), "x");
    Path jar = file("app.jar", "application", NOW.minusSeconds(60));
    DigestCache cache = DigestCache.in(Optional.of(notADirectory));
    cache.put(jar, attributes(jar), "a".repeat(64), NOW);
    cache.save();

    Files.createDirectories(work.resolve("garbled"));
    Files.writeString(work.resolve("garbled").resolve("digests.txt"), "not a cache\nab 12 x y z\n");
    assertThat(DigestCache.in(Optional.of(work.resolve("garbled"))).get(jar, attributes(jar))).isEmpty();
    assertThat(DigestCache.in(Optional.empty()).get(jar, attributes(jar))).isEmpty();
  }
}
