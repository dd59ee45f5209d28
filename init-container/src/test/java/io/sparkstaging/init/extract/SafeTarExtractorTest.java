package io.sparkstaging.init.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkstaging.init.config.InitConfig.ExtractLimits;
import io.sparkstaging.init.support.Tars;
import io.sparkstaging.init.support.Zips;
import io.sparkstaging.init.verify.ContentRejected;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SafeTarExtractorTest {
  private static final ExtractLimits LIMITS = new ExtractLimits(10L << 20, 100);

  @TempDir
  Path root;

  private Path destination() throws IOException {
    return Files.createDirectories(root.resolve("slot"));
  }

  private int extract(byte[] bundle, Path destination) throws IOException {
    return new SafeTarExtractor(LIMITS).extract(new ByteArrayInputStream(bundle), destination);
  }

  @Test
  void unpacksTheOriginalClientsFlatTarGz() throws IOException {
    Path destination = destination();

    int files = extract(Tars.gzipOf("app.jar", "jar bytes", "lib.jar", "more bytes"), destination);

    assertThat(files).isEqualTo(2);
    assertThat(destination.resolve("app.jar")).hasContent("jar bytes");
    assertThat(destination.resolve("lib.jar")).hasContent("more bytes");
  }

  @Test
  void recognisesAPlainTarByItsContent() throws IOException {
    Path destination = destination();

    extract(Tars.plainOf("data.csv", "a,b"), destination);

    assertThat(destination.resolve("data.csv")).hasContent("a,b");
  }

  @Test
  void unpacksDirectoriesAndKeepsOnlyTheExecutableBit() throws IOException {
    Path destination = destination();
    byte[] bundle = new Tars.Builder().directory("conf").file("conf/log4j2.properties", "x".getBytes(StandardCharsets.UTF_8), 0600)
        .file("run.sh", "#!/bin/sh".getBytes(StandardCharsets.UTF_8), 0700).gzip();

    extract(bundle, destination);

    assertThat(Files.getPosixFilePermissions(destination.resolve("conf/log4j2.properties")))
        .isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(Files.getPosixFilePermissions(destination.resolve("run.sh"))).isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @Test
  void anEmptyTarUnpacksToNothing() throws IOException {
    Path destination = destination();

    assertThat(extract(new Tars.Builder().plain(), destination)).isZero();
    assertThat(extract(new Tars.Builder().gzip(), destination)).isZero();
    // One end-of-archive record, as some writers leave, is still an end.
    assertThat(extract(new byte[512], destination)).isZero();
  }

  static Stream<Arguments> notWholeTars() throws IOException {
    byte[] oneFile = new Tars.Builder().file("a.jar", "x").plain();
    return Stream.of(
        Arguments.of("an empty body", new byte[0]),
        Arguments.of("a short text", "hello\n".getBytes(StandardCharsets.UTF_8)),
        Arguments.of("a small zip", Zips.of("a.jar", "x")),
        Arguments.of("gzip of a short text", gzip("hello\n".getBytes(StandardCharsets.UTF_8))),
        Arguments.of("a tar cut after an entry, before its end marker", Arrays.copyOf(oneFile, 1024)),
        Arguments.of("a tar cut inside an entry", Arrays.copyOf(oneFile, 700)),
        Arguments.of("a gzip cut short", Arrays.copyOf(new Tars.Builder().file("a.jar", "x").gzip(), 20)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("notWholeTars")
  void whatIsNotAWholeTarArchiveIsRefusedHoweverSmall(String description, byte[] bundle) throws IOException {
    assertThatThrownBy(() -> extract(bundle, destination())).isInstanceOf(ContentRejected.class);
  }

  static Stream<Arguments> collidingNames() {
    return Stream.of(
        Arguments.of("a directory named as a file before it", new Tars.Builder().file("lib", "x").directory("lib").plain(),
            "entry 'lib/' is a directory named as a file before it"),
        Arguments.of("an entry inside a file", new Tars.Builder().file("lib", "x").file("lib/a.jar", "y").plain(),
            "entry 'lib/a.jar' is inside 'lib', which is a file"),
        Arguments.of("a file named as a directory before it", new Tars.Builder().directory("lib").file("lib", "x").plain(),
            "entry 'lib' is a file named as a directory before it"),
        Arguments.of("a file named as a directory made for an earlier file",
            new Tars.Builder().file("lib/a.jar", "x").file("lib", "y").plain(),
            "entry 'lib' is a file named as a directory before it"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("collidingNames")
  void collidingNamesAreRefusedNamingTheEntry(String description, byte[] bundle, String message) throws IOException {
    assertThatThrownBy(() -> extract(bundle, destination())).isInstanceOf(ContentRejected.class).hasMessageEndingWith(message);
  }

  @Test
  void aHostileNameIsShownOnOneShortLine() throws IOException {
    byte[] forged = new Tars.Builder().symlink("a.jar\ninit-container: fetched everything " + "x".repeat(20_000), "/etc").plain();

    assertThatThrownBy(() -> extract(forged, destination())).isInstanceOf(ContentRejected.class).satisfies(e -> {
      assertThat(e.getMessage()).doesNotContain("\n").contains("a.jar\\ninit-container").contains("more characters)");
      assertThat(e.getMessage().length()).isLessThan(1000);
    });
  }

  private static byte[] gzip(byte[] content) throws IOException {
    var out = new java.io.ByteArrayOutputStream();
    try (var gzip = new java.util.zip.GZIPOutputStream(out)) {
      gzip.write(content);
    }
    return out.toByteArray();
  }

  static Stream<Arguments> hostileBundles() {
    return Stream.of(
        Arguments.of("absolute path", new Tars.Builder().file("/etc/cron.d/evil", "x").gzip(), "has an absolute path"),
        Arguments.of("parent segment", new Tars.Builder().file("../evil.jar", "x").gzip(), "has a '..' segment"),
        Arguments.of("nested parent segment", new Tars.Builder().file("lib/../../evil.jar", "x").gzip(), "has a '..' segment"),
        Arguments.of("symlink", new Tars.Builder().symlink("link.jar", "/etc/passwd").gzip(), "is a link"),
        Arguments.of("relative symlink", new Tars.Builder().symlink("link", "..").file("link/evil", "x").gzip(), "is a link"),
        Arguments.of("hard link", new Tars.Builder().hardlink("hard.jar", "/etc/shadow").gzip(), "is a link"),
        Arguments.of("fifo", new Tars.Builder().special("pipe", TarConstants.LF_FIFO).gzip(), "is not a regular file"),
        Arguments.of("character device", new Tars.Builder().special("tty", TarConstants.LF_CHR).gzip(), "is not a regular file"),
        Arguments.of("block device", new Tars.Builder().special("disk", TarConstants.LF_BLK).gzip(), "is not a regular file"),
        Arguments.of("repeated name", new Tars.Builder().file("a.jar", "1").file("a.jar", "2").gzip(), "appears more than once"),
        Arguments.of("gzip bomb", new Tars.Builder().zeros("zeros.bin", 50L << 20).gzip(), "unpacks to more than"),
        Arguments.of("too many entries", manyEntries(101), "more than 100 entries"),
        Arguments.of("not a tar at all", "this is not an archive, just 512 bytes of text".repeat(12).getBytes(StandardCharsets.UTF_8), ""));
  }

  private static byte[] manyEntries(int count) {
    var builder = new Tars.Builder();
    for (int i = 0; i < count; i++) {
      builder.file("f" + i, "x");
    }
    return builder.gzip();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileBundles")
  void refusesAndWritesNothingOutsideTheDestination(String description, byte[] bundle, String reason) throws IOException {
    Path destination = destination();

    assertThatThrownBy(() -> extract(bundle, destination)).isInstanceOf(IOException.class).hasMessageContaining(reason);

    try (Stream<Path> everything = Files.walk(root)) {
      assertThat(everything.filter(path -> !path.startsWith(destination))).containsExactly(root);
    }
  }

  @Test
  void aRefusalNamesTheEntry() throws IOException {
    Path destination = destination();

    assertThatThrownBy(() -> extract(new Tars.Builder().file("ok.jar", "x").symlink("evil.jar", "/etc/passwd").gzip(), destination))
        .isInstanceOf(ContentRejected.class)
        .hasMessage("unsafe bundle: entry 'evil.jar' is a link (to '/etc/passwd')");
  }
}
