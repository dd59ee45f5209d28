package io.sparkstaging.init.place;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkstaging.init.verify.ContentRejected;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagingAreaTest {
  @TempDir
  Path target;

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.map(path -> path.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void stagingIsHiddenUntilCommittedThenMovedIntoPlace() throws IOException {
    try (var area = StagingArea.in(target)) {
      Files.writeString(area.newSlot("jars bundle").resolve("app.jar"), "jar");
      assertThat(names(target)).singleElement().asString().startsWith(".spark-init-");

      StagingArea.commitAll(List.of(area));
    }
    assertThat(names(target)).containsExactly("app.jar");
  }

  @Test
  void aLeftoverOfAKilledRunIsLeftAloneAndTheNextNameTaken() throws IOException {
    Path leftover = Files.createDirectory(target.resolve(".spark-init-0"));
    Files.writeString(leftover.resolve("half.jar"), "half");
    try (var area = StagingArea.in(target)) {
      Path slot = area.newSlot("jars bundle");

      assertThat(slot.getParent()).isEqualTo(target.resolve(".spark-init-1"));
      assertThat(Files.getPosixFilePermissions(slot.getParent())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }
    assertThat(leftover.resolve("half.jar")).hasContent("half");
    assertThat(names(target)).containsExactly(".spark-init-0");
  }

  @Test
  void twoSourcesBringingOneNameAreRefusedAndNothingMoves() throws IOException {
    try (var area = StagingArea.in(target)) {
      Files.writeString(area.newSlot("jars bundle").resolve("a.jar"), "1");
      Files.writeString(area.newSlot("remote jar http://x/a.jar").resolve("a.jar"), "2");
      Files.writeString(area.newSlot("remote jar http://x/b.jar").resolve("b.jar"), "3");

      assertThatThrownBy(() -> StagingArea.commitAll(List.of(area)))
          .isInstanceOf(ContentRejected.class).hasMessageContaining("'a.jar' comes from both");
    }
    assertThat(names(target)).isEmpty();
  }

  @Test
  void anIdenticalFileFromAnEarlierRunIsKeptAndADifferentOneRefused() throws IOException {
    Files.writeString(target.resolve("same.jar"), "same");
    Files.writeString(target.resolve("other.jar"), "old");
    try (var area = StagingArea.in(target)) {
      Files.writeString(area.newSlot("jars").resolve("same.jar"), "same");
      StagingArea.commitAll(List.of(area));
    }
    try (var area = StagingArea.in(target)) {
      Files.writeString(area.newSlot("jars").resolve("other.jar"), "new");
      assertThatThrownBy(() -> StagingArea.commitAll(List.of(area))).hasMessageContaining("already exists with other content");
    }
    assertThat(target.resolve("other.jar")).hasContent("old");
    assertThat(names(target)).containsExactly("other.jar", "same.jar");
  }
}
