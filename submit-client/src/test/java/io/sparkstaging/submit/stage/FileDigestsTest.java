package io.sparkstaging.submit.stage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every file's digest is its own, however the hashing threads' read buffers are shared out among files. */
class FileDigestsTest {
  @TempDir
  Path work;

  private Path file(String name, int size, long seed) throws IOException {
    byte[] content = new byte[size];
    new Random(seed).nextBytes(content);
    return Files.write(work.resolve(name), content);
  }

  private static String expected(Path file) throws IOException, NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  @Test
  void aSmallerFileHashedAfterALargerOneOnTheSameThreadGetsItsOwnDigest() throws Exception {
    // Larger than the read buffer, then within it, then empty: nothing of one file may count in the next.
    Path large = file("large.jar", (1 << 20) * 2 + 3, 1);
    Path small = file("small.jar", 10, 2);
    Path empty = file("empty.jar", 0, 3);

    assertThat(FileDigests.sha256(large)).isEqualTo(expected(large));
    assertThat(FileDigests.sha256(small)).isEqualTo(expected(small));
    assertThat(FileDigests.sha256(empty)).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  void theFilesTheCacheRemembersAreHandedOverTogetherSoThatOneQuestionCoversThem() throws Exception {
    List<Path> files = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      Path file = file("dep-" + i + ".jar", 1000, i);
      Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(10)));
      files.add(file);
      names.add(file.getFileName().toString());
    }
    Path cacheDir = Files.createDirectory(work.resolve("cache"));
    describeAll(new FileDigests(DigestCache.in(Optional.of(cacheDir)), Clock.systemUTC()), files, names);
    Path changed = file("dep-0.jar", 3 << 20, 1000);
    Files.setLastModifiedTime(changed, FileTime.from(Instant.now().minusSeconds(10)));

    try (FileDigests.Hashing hashing = new FileDigests(DigestCache.in(Optional.of(cacheDir)), Clock.systemUTC()).start(files, names)) {
      List<FileDigests.DescribedFile> first = hashing.next();

      assertThat(first).extracting(FileDigests.DescribedFile::index).as("every remembered file, in the first hand-over")
          .containsAll(IntStream.range(1, 300).boxed().toList());
      List<FileDigests.DescribedFile> all = new ArrayList<>(first);
      for (List<FileDigests.DescribedFile> next = hashing.next(); !next.isEmpty(); next = hashing.next()) {
        all.addAll(next);
      }
      assertThat(all).hasSize(300).filteredOn(file -> file.index() == 0).singleElement()
          .satisfies(file -> assertThat(file.file().sha256()).isEqualTo(expected(changed)));
    }
  }

  private static FileDigests.DescribedFile[] describeAll(FileDigests digests, List<Path> files, List<String> names) throws IOException {
    var described = new FileDigests.DescribedFile[files.size()];
    try (FileDigests.Hashing hashing = digests.start(files, names)) {
      for (List<FileDigests.DescribedFile> next = hashing.next(); !next.isEmpty(); next = hashing.next()) {
        next.forEach(file -> described[file.index()] = file);
      }
    }
    return described;
  }

  @Test
  void filesHashedOnThePoolAreEachDescribedByTheirOwnBytes() throws Exception {
    List<Path> files = new ArrayList<>();
    List<String> names = new ArrayList<>();
    int[] sizes = {3 << 20, 1, 700_000, 0, (1 << 20) + 1, 64, 2 << 20, 5};
    for (int i = 0; i < sizes.length; i++) {
      files.add(file("dep-" + i + ".jar", sizes[i], 10 + i));
      names.add("dep-" + i + ".jar");
    }

    FileDigests.DescribedFile[] described = describeAll(new FileDigests(DigestCache.in(Optional.empty()), Clock.systemUTC()), files, names);

    for (int i = 0; i < files.size(); i++) {
      assertThat(described[i].file().name()).isEqualTo(names.get(i));
      assertThat(described[i].file().size()).isEqualTo(sizes[i]);
      assertThat(described[i].file().sha256()).as(names.get(i)).isEqualTo(expected(files.get(i)));
    }
  }
}
