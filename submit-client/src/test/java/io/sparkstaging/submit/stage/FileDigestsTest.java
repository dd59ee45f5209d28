package io.sparkstaging.submit.stage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
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
  void filesHashedOnThePoolAreEachDescribedByTheirOwnBytes() throws Exception {
    List<Path> files = new ArrayList<>();
    List<String> names = new ArrayList<>();
    int[] sizes = {3 << 20, 1, 700_000, 0, (1 << 20) + 1, 64, 2 << 20, 5};
    for (int i = 0; i < sizes.length; i++) {
      files.add(file("dep-" + i + ".jar", sizes[i], 10 + i));
      names.add("dep-" + i + ".jar");
    }

    var described = new FileDigests.DescribedFile[files.size()];
    try (FileDigests.Hashing hashing = new FileDigests(DigestCache.in(Optional.empty()), Clock.systemUTC()).start(files, names)) {
      for (List<FileDigests.DescribedFile> next = hashing.next(); !next.isEmpty(); next = hashing.next()) {
        next.forEach(file -> described[file.index()] = file);
      }
    }

    for (int i = 0; i < files.size(); i++) {
      assertThat(described[i].file().name()).isEqualTo(names.get(i));
      assertThat(described[i].file().size()).isEqualTo(sizes[i]);
      assertThat(described[i].file().sha256()).as(names.get(i)).isEqualTo(expected(files.get(i)));
    }
  }
}
