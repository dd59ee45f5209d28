package io.sparkstaging.init.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Builds tar and tar.gz bundles in memory, including the hostile ones a staging server must never let through. */
public final class Tars {
  private Tars() {}

  /** A tar.gz of text files, as name/content pairs: the layout the original client sends. */
  public static byte[] gzipOf(String... namesAndContents) {
    return filesOf(namesAndContents).gzip();
  }

  /** The same as a plain tar. */
  public static byte[] plainOf(String... namesAndContents) {
    return filesOf(namesAndContents).plain();
  }

  private static Builder filesOf(String[] namesAndContents) {
    var builder = new Builder();
    for (int i = 0; i < namesAndContents.length; i += 2) {
      builder.file(namesAndContents[i], namesAndContents[i + 1]);
    }
    return builder;
  }

  /** Entry by entry, with full control over names and types. */
  public static final class Builder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar = new TarArchiveOutputStream(out);

    public Builder() {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    }

    public Builder file(String name, String content) {
      return file(name, content.getBytes(StandardCharsets.UTF_8), 0644);
    }

    public Builder file(String name, byte[] content, int mode) {
      var entry = new TarArchiveEntry(name, true);
      entry.setSize(content.length);
      entry.setMode(mode);
      return put(entry, content);
    }

    public Builder directory(String name) {
      return put(new TarArchiveEntry(name.endsWith("/") ? name : name + "/", true), new byte[0]);
    }

    public Builder symlink(String name, String target) {
      var entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
      entry.setLinkName(target);
      return put(entry, new byte[0]);
    }

    public Builder hardlink(String name, String target) {
      var entry = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
      entry.setLinkName(target);
      return put(entry, new byte[0]);
    }

    public Builder special(String name, byte type) {
      return put(new TarArchiveEntry(name, type, true), new byte[0]);
    }

    /** A file whose content is {@code size} zero bytes, written without holding it in memory. */
    public Builder zeros(String name, long size) {
      var entry = new TarArchiveEntry(name, true);
      entry.setSize(size);
      try {
        tar.putArchiveEntry(entry);
        byte[] block = new byte[64 * 1024];
        for (long left = size; left > 0; left -= block.length) {
          tar.write(block, 0, (int) Math.min(block.length, left));
        }
        tar.closeArchiveEntry();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    private Builder put(TarArchiveEntry entry, byte[] content) {
      try {
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    public byte[] plain() {
      try {
        tar.finish();
        tar.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return out.toByteArray();
    }

    public byte[] gzip() {
      byte[] plain = plain();
      var compressed = new ByteArrayOutputStream();
      try (var gzip = new GZIPOutputStream(compressed)) {
        gzip.write(plain);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return compressed.toByteArray();
    }
  }
}
