package io.sparkstaging.init.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/** Builds zip archives in memory, hostile ones included. */
public final class Zips {
  private Zips() {}

  /** A zip of text files, as name/content pairs. */
  public static byte[] of(String... namesAndContents) {
    var zip = new Builder();
    for (int i = 0; i < namesAndContents.length; i += 2) {
      zip.file(namesAndContents[i], namesAndContents[i + 1], 0644);
    }
    return zip.bytes();
  }

  public static final class Builder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ZipArchiveOutputStream zip = new ZipArchiveOutputStream(out);

    public Builder file(String name, String content, int mode) {
      var entry = new ZipArchiveEntry(name);
      entry.setUnixMode(0100000 | mode);
      return put(entry, content.getBytes(StandardCharsets.UTF_8));
    }

    public Builder symlink(String name, String target) {
      var entry = new ZipArchiveEntry(name);
      entry.setUnixMode(0120777);
      return put(entry, target.getBytes(StandardCharsets.UTF_8));
    }

    private Builder put(ZipArchiveEntry entry, byte[] content) {
      try {
        zip.putArchiveEntry(entry);
        zip.write(content);
        zip.closeArchiveEntry();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    public byte[] bytes() {
      try {
        zip.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return out.toByteArray();
    }
  }
}
