package io.sparkstaging.server.store;

import io.sparkstaging.common.wire.BundleOwner;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local store's index as a clean stop left it ({@code DATA_DIR/index.snapshot}), so that a start
 * reads one file instead of every bundle's metadata file.
 *
 * <p>It is valid only while it exists: a clean stop writes it after the store's last change, and a
 * start takes it (reads it, then deletes it durably) before the store can change again. A start
 * after {@code kill -9} finds none and reads {@code bundles/} as before, and so does a start that
 * finds it unreadable. The listing of {@code bundles/} is still the truth about which bundles
 * exist: the snapshot only saves reading their files.
 */
final class IndexSnapshot {
  private static final Logger log = LoggerFactory.getLogger(IndexSnapshot.class);
  static final String FILE = "index.snapshot";
  private static final String PARTIAL = FILE + ".partial";
  private static final int MAGIC = 0x53534958;
  private static final int VERSION = 1;

  private IndexSnapshot() {}

  /** Writes the records aside, syncs them and renames them into place. */
  static void write(Path dataDir, Collection<BundleRecord> records) throws IOException {
    Path partial = dataDir.resolve(PARTIAL);
    Files.deleteIfExists(partial);
    try (FileChannel channel =
        FileChannel.open(partial, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), OwnerOnly.file())) {
      var buffered = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
      var checksum = new CheckedOutputStream(buffered, new CRC32C());
      var out = new DataOutputStream(checksum);
      out.writeInt(MAGIC);
      out.writeInt(VERSION);
      out.writeInt(records.size());
      for (BundleRecord record : records) {
        writeRecord(out, record);
      }
      out.flush();
      var trailer = new DataOutputStream(buffered);
      trailer.writeLong(checksum.getChecksum().getValue());
      trailer.flush();
      channel.force(true);
    } catch (IOException e) {
      Files.deleteIfExists(partial);
      throw e;
    }
    DurableFiles.moveSynced(partial, dataDir.resolve(FILE));
  }

  /**
   * The records a clean stop left, by bundle id, and the snapshot gone from disk; empty when there is
   * none or it cannot be read, so that the caller reads every bundle's files.
   */
  static Optional<Map<String, BundleRecord>> take(Path dataDir) throws IOException {
    Files.deleteIfExists(dataDir.resolve(PARTIAL));
    Path file = dataDir.resolve(FILE);
    Optional<Map<String, BundleRecord>> records;
    try {
      records = Optional.of(read(Files.readAllBytes(file)));
    } catch (NoSuchFileException none) {
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      log.warn("Ignoring the index left by the last stop, {}: {}; reading every bundle's metadata instead", file, e.toString());
      records = Optional.empty();
    }
    Files.delete(file);
    DurableFiles.syncDirectory(dataDir);
    return records;
  }

  /** Parsed from memory in one pass, checksum first: a stream read a field at a time costs a start more than the file's size. */
  private static Map<String, BundleRecord> read(byte[] file) throws IOException {
    if (file.length < 20) {
      throw new IOException("truncated");
    }
    var checksum = new CRC32C();
    checksum.update(file, 0, file.length - Long.BYTES);
    ByteBuffer in = ByteBuffer.wrap(file);
    if (in.getLong(file.length - Long.BYTES) != checksum.getValue()) {
      throw new IOException("checksum mismatch: the file is damaged");
    }
    in.limit(file.length - Long.BYTES);
    if (in.getInt() != MAGIC) {
      throw new IOException("not an index snapshot");
    }
    int version = in.getInt();
    if (version != VERSION) {
      throw new IOException("unsupported version " + version);
    }
    int count = in.getInt();
    Map<String, BundleRecord> records = new HashMap<>(Math.max(16, count * 4 / 3 + 1));
    for (int i = 0; i < count; i++) {
      BundleRecord record = readRecord(in);
      records.put(record.id().value(), record);
    }
    if (in.hasRemaining()) {
      throw new IOException(in.remaining() + " bytes after the last record");
    }
    return records;
  }

  private static void writeRecord(DataOutputStream out, BundleRecord record) throws IOException {
    writeString(out, record.id().value());
    writeString(out, record.owner().ownerNamespace());
    out.writeInt(record.owner().ownerLabels().size());
    for (Map.Entry<String, String> label : record.owner().ownerLabels().entrySet()) {
      writeString(out, label.getKey());
      writeString(out, label.getValue());
    }
    writeString(out, record.owner().ownerType().name());
    writeString(out, record.secretDigest().toBase64());
    out.writeLong(record.size());
    writeString(out, record.sha256Hex());
    writeInstant(out, record.createdAt());
    writeOptionalInstant(out, record.firstDownloadedAt());
    writeOptionalInstant(out, record.ownerSeenAt());
    writeString(out, record.layout().name());
  }

  private static BundleRecord readRecord(ByteBuffer in) throws IOException {
    var id = new BundleId(readString(in));
    String namespace = readString(in);
    int labelCount = in.getInt();
    Map<String, String> labels = new HashMap<>();
    for (int i = 0; i < labelCount; i++) {
      labels.put(readString(in), readString(in));
    }
    var owner = new BundleOwner(namespace, labels, BundleOwner.OwnerType.valueOf(readString(in)));
    return new BundleRecord(id, owner, SecretDigest.fromBase64(readString(in)), in.getLong(), readString(in), readInstant(in),
        readOptionalInstant(in), readOptionalInstant(in), BundleRecord.Layout.valueOf(readString(in)));
  }

  private static void writeString(DataOutputStream out, String value) throws IOException {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static String readString(ByteBuffer in) {
    int length = in.getInt();
    String value = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
    in.position(in.position() + length);
    return value;
  }

  private static void writeInstant(DataOutputStream out, Instant instant) throws IOException {
    out.writeLong(instant.getEpochSecond());
    out.writeInt(instant.getNano());
  }

  private static Instant readInstant(ByteBuffer in) {
    return Instant.ofEpochSecond(in.getLong(), in.getInt());
  }

  private static void writeOptionalInstant(DataOutputStream out, Optional<Instant> instant) throws IOException {
    out.writeBoolean(instant.isPresent());
    if (instant.isPresent()) {
      writeInstant(out, instant.get());
    }
  }

  private static Optional<Instant> readOptionalInstant(ByteBuffer in) {
    return in.get() != 0 ? Optional.of(readInstant(in)) : Optional.empty();
  }
}
