package io.sparkstaging.common.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

class TarLayoutTest {
  private static final String SHA = "0".repeat(64);
  private static final List<ManifestFile> FILES = List.of(new ManifestFile("a.jar", SHA, 1000, 0644),
      new ManifestFile("x".repeat(150) + ".jar", SHA, 0, 0644), new ManifestFile("naïve.py", SHA, 512, 0755));

  @Test
  void aBundleCommittedAtItsCommitTimeHasItsFilesWhereTheFilesAloneSay() {
    Instant now = Instant.parse("2026-11-29T16:30:21.123456789Z");
    TarLayout committed = TarLayout.of(FILES, TarLayout.commitTime(now));
    TarLayout read = TarLayout.of(FILES);

    assertThat(TarLayout.commitTime(now)).isEqualTo(Instant.parse("2026-11-29T16:30:21Z"));
    assertThat(read.size()).isEqualTo(committed.size());
    for (int i = 0; i < FILES.size(); i++) {
      assertThat(read.start(i)).isEqualTo(committed.start(i));
      assertThat(read.dataStart(i)).isEqualTo(committed.dataStart(i));
      assertThat(read.end(i)).isEqualTo(committed.end(i));
    }
    // Why the commit time is whole seconds: a fraction takes a pax record, here before the first file's header.
    assertThat(TarLayout.of(FILES, now).start(1)).isEqualTo(read.start(1) + 1024);
  }

  @Test
  void aHeaderIsOneRecordExactlyWhenTheFileNeedsNoPaxRecord() {
    long eightGiB = 8L << 30;
    for (var file : List.of(new ManifestFile("a".repeat(99), SHA, 1, 0644), new ManifestFile("a".repeat(100), SHA, 1, 0644),
        new ManifestFile("a".repeat(101), SHA, 1, 0644), new ManifestFile("é.jar", SHA, 1, 0644),
        new ManifestFile("\u65e5\u672c.jar", SHA, 1, 0755), new ManifestFile("big.jar", SHA, eightGiB - 1, 0644),
        new ManifestFile("big.jar", SHA, eightGiB, 0644), new ManifestFile("empty", SHA, 0, 0644))) {
      assertThat(TarLayout.headerLength(file)).as(file.name() + ", " + file.size() + " bytes")
          .isEqualTo(TarLayout.of(List.of(file), Instant.parse("2026-11-29T16:30:21Z")).dataStart(0));
    }
    assertThat(TarLayout.headerLength(new ManifestFile("a".repeat(99), SHA, 1, 0644))).isEqualTo(512);
    assertThat(TarLayout.headerLength(new ManifestFile("a".repeat(100), SHA, 1, 0644))).isGreaterThan(512);
  }

  @Test
  void theLayoutIsWhereAReaderFindsEachEntryAndItsBytes() throws IOException {
    Instant time = Instant.parse("2026-11-29T16:30:21Z");
    TarLayout layout = TarLayout.of(FILES, time);
    byte[] tar = tarOf(layout);

    assertThat(tar).hasSize((int) layout.size());
    try (var in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
      for (int i = 0; i < FILES.size(); i++) {
        TarArchiveEntry entry = in.getNextEntry();
        assertThat(entry.getName()).isEqualTo(FILES.get(i).name());
        assertThat(entry.getSize()).isEqualTo(FILES.get(i).size());
        assertThat(entry.getMode() & 07777).isEqualTo(FILES.get(i).mode());
        assertThat(entry.getModTime().toInstant()).isEqualTo(time);
        byte[] content = in.readAllBytes();
        int at = (int) layout.dataStart(i);
        assertThat(content).isEqualTo(java.util.Arrays.copyOfRange(tar, at, at + content.length));
      }
      assertThat(in.getNextEntry()).isNull();
    }
  }

  /** Headers from the layout, bytes numbered by position, zero padding, then the end marker: as the server assembles it. */
  private static byte[] tarOf(TarLayout layout) {
    byte[] tar = new byte[(int) layout.size()];
    for (int i = 0; i < FILES.size(); i++) {
      var header = java.nio.ByteBuffer.wrap(tar, (int) layout.start(i), (int) (layout.dataStart(i) - layout.start(i)));
      layout.putHeader(i, 0, header);
      for (long at = layout.dataStart(i); at < layout.dataStart(i) + FILES.get(i).size(); at++) {
        tar[(int) at] = (byte) (at * 31 + 7);
      }
    }
    return tar;
  }

  @Test
  void aHeaderComesOutAsCommonsCompressWritesIt() throws IOException {
    var out = new ByteArrayOutputStream();
    try (var tar = new TarArchiveOutputStream(out)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setAddPaxHeadersForNonAsciiNames(true);
      var entry = new TarArchiveEntry(FILES.get(1).name());
      entry.setSize(0);
      entry.setMode(0644);
      entry.setModTime(Date.from(Instant.EPOCH));
      tar.putArchiveEntry(entry);
      tar.closeArchiveEntry();
    }
    TarLayout layout = TarLayout.of(List.of(FILES.get(1)), Instant.EPOCH);
    var header = java.nio.ByteBuffer.allocate((int) layout.dataStart(0));
    layout.putHeader(0, 0, header);
    assertThat(header.array()).isEqualTo(java.util.Arrays.copyOf(out.toByteArray(), header.capacity()));
  }
}
