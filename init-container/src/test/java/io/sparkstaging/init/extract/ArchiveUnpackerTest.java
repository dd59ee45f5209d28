package io.sparkstaging.init.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkstaging.init.config.InitConfig.ExtractLimits;
import io.sparkstaging.init.support.Tars;
import io.sparkstaging.init.support.Zips;
import io.sparkstaging.init.verify.ContentRejected;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveUnpackerTest {
  private static final ExtractLimits LIMITS = new ExtractLimits(1 << 20, 100);

  @TempDir
  Path slot;

  private int unpack(String name, byte[] archive) throws Exception {
    return new ArchiveUnpacker(LIMITS).unpack(Files.write(slot.resolve(name), archive), slot.resolve("alias-" + name));
  }

  @Test
  void unpacksZipJarTarAndTarGzByTheirNames() throws Exception {
    for (String name : new String[] {"a.zip", "b.jar"}) {
      Path dir = slot.resolve("alias");
      new ArchiveUnpacker(LIMITS).unpack(Files.write(slot.resolve(name), new Zips.Builder().file("bin/tool", "#!/bin/sh", 0755).bytes()),
          dir);
      assertThat(dir.resolve("bin/tool")).hasContent("#!/bin/sh");
      assertThat(Files.isExecutable(dir.resolve("bin/tool"))).isTrue();
      io.sparkstaging.common.files.FileTrees.deleteRecursively(dir);
    }
    assertThat(unpack("c.tgz", Tars.gzipOf("x.txt", "gz"))).isEqualTo(1);
    assertThat(slot.resolve("alias-c.tgz/x.txt")).hasContent("gz");
  }

  @Test
  void aFileOfAnyOtherKindIsCopiedUnderTheAliasAsSparkDoes() throws Exception {
    assertThat(unpack("model.bin", new byte[] {1, 2, 3})).isEqualTo(1);

    assertThat(slot.resolve("alias-model.bin")).isRegularFile().hasBinaryContent(new byte[] {1, 2, 3});
  }

  @Test
  void aZipThatEscapesOrLinksIsRefusedNamingTheEntry() {
    assertThatThrownBy(() -> unpack("slip.zip", Zips.of("../../etc/passwd", "x"))).isInstanceOf(ContentRejected.class)
        .hasMessageContaining("'../../etc/passwd' has a '..' segment");
    assertThatThrownBy(() -> unpack("abs.zip", Zips.of("/etc/passwd", "x"))).isInstanceOf(ContentRejected.class)
        .hasMessageContaining("has an absolute path");
  }

  @Test
  void aZipWithASymlinkIsRefused() {
    assertThatThrownBy(() -> unpack("link.zip", new Zips.Builder().symlink("bin/python", "/usr/bin/python3").bytes()))
        .isInstanceOf(ContentRejected.class).hasMessageContaining("'bin/python' is a link");
  }

  @Test
  void aZipBombIsStoppedAtTheLimit() {
    assertThatThrownBy(() -> unpack("bomb.zip", Zips.of("zeros", "0".repeat(2 << 20)))).isInstanceOf(ContentRejected.class)
        .hasMessageContaining("more than " + (1 << 20) + " bytes");
  }
}
