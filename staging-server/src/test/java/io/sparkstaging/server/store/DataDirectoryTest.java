package io.sparkstaging.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.sparkstaging.common.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the server says of a data directory it cannot use. images/check runs the unwritable case as uid 65532 in CI, which runs as root. */
class DataDirectoryTest {
  @TempDir
  Path dir;

  @Test
  void aMissingDirectoryIsCreated() {
    DataDirectory.prepare(dir.resolve("a/b"));
    assertThat(dir.resolve("a/b")).isDirectory();
  }

  @Test
  void aFileWhereTheDirectoryShouldBeIsNamed() throws Exception {
    Path file = Files.writeString(dir.resolve("file"), "x");
    assertThatThrownBy(() -> DataDirectory.prepare(file)).isInstanceOf(ConfigException.class)
        .hasMessage("--data-dir: " + file + " is not a directory (" + file + " is a file)");
    assertThatThrownBy(() -> DataDirectory.prepare(file.resolve("data"))).isInstanceOf(ConfigException.class)
        .hasMessage("--data-dir: cannot create " + file.resolve("data") + ": Not a directory (" + file.resolve("data") + ")");
  }

  @Test
  void aDirectoryOfAnotherUserSaysWhoseItIsAndHowToHandItOver() throws Exception {
    assumeFalse("root".equals(System.getProperty("user.name")), "root writes anywhere");
    Path data = Files.createDirectory(dir.resolve("data"));
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("r-xr-xr-x"));
    assertThatThrownBy(() -> DataDirectory.prepare(data)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("--data-dir: " + data + " is not writable by the server's user").hasMessageContaining("mode r-xr-xr-x")
        .hasMessageContaining("fsGroup");
    assertThatThrownBy(() -> LocalBundleStore.open(data.resolve("store"), 0, java.time.Clock.systemUTC(), java.time.Duration.ofHours(1)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cannot create " + data.resolve("store"));
  }
}
