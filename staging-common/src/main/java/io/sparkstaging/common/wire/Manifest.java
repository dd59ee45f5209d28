package io.sparkstaging.common.wire;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The files of a bundle staged by digest, in the order the pod gets them: what a client commits
 * once the server holds every file's bytes, and what the init-container reads to fetch the files
 * one by one. The same bundle can also be downloaded as one tar ({@link BundleFormat}), assembled
 * from these files in this order.
 */
public record Manifest(List<ManifestFile> files) {
  /**
   * The answer's media type when a client asks a bundle for its manifest rather than its tar: the
   * manifest as {@link #lines()}, UTF-8, which hash to the bundle's entity tag, so that a reader
   * needs no JSON parser and can check it got what the client committed.
   */
  public static final String MEDIA_TYPE = "text/vnd.spark-staging.manifest.v1";
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final int MAX_NAME_BYTES = 255;

  public Manifest {
    files = List.copyOf(files);
  }

  public static boolean isSha256(String digest) {
    return digest != null && SHA256.matcher(digest).matches();
  }

  /**
   * What is wrong with this manifest, if anything: a file without a plain name (one path
   * segment, no control characters, not {@code .} or {@code ..}, at most 255 bytes), a name used
   * twice, a digest that is not 64 hex digits, a negative size, or a mode beyond the permission bits.
   */
  public Optional<String> problem(int maxFiles) {
    if (files.isEmpty()) {
      return Optional.of("the manifest lists no file");
    }
    if (files.size() > maxFiles) {
      return Optional.of("the manifest lists " + files.size() + " files, more than the " + maxFiles + " a bundle may hold");
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < files.size(); i++) {
      ManifestFile file = files.get(i);
      String where = "files[" + i + "]";
      if (file == null) {
        return Optional.of(where + " is null");
      }
      Optional<String> badName = nameProblem(file.name());
      if (badName.isPresent()) {
        return Optional.of(where + ".name " + badName.get());
      }
      if (!names.add(file.name())) {
        return Optional.of(where + ".name '" + file.name() + "' is used twice");
      }
      if (!isSha256(file.sha256())) {
        return Optional.of(where + ".sha256 is not 64 lower-case hex digits");
      }
      if (file.size() < 0) {
        return Optional.of(where + ".size is negative");
      }
      if (file.mode() < 0 || file.mode() > 0777) {
        return Optional.of(where + ".mode is not a permission mode (0 to 0777)");
      }
    }
    return Optional.empty();
  }

  /** What is wrong with {@code name} as a file's name in a manifest, if anything (see {@link #problem}). */
  public static Optional<String> nameProblem(String name) {
    if (name == null || name.isEmpty()) {
      return Optional.of("is empty");
    }
    if (name.equals(".") || name.equals("..") || name.indexOf('/') >= 0) {
      return Optional.of("must be a plain file name, not a path");
    }
    if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      return Optional.of("holds a control character");
    }
    if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
      return Optional.of("is longer than " + MAX_NAME_BYTES + " bytes");
    }
    return Optional.empty();
  }

  public long totalSize() {
    return files.stream().mapToLong(ManifestFile::size).sum();
  }

  /**
   * One line per file, {@code SHA256 SIZE MODE NAME}, the mode in octal, each ended by a newline.
   * Names hold no control character, so the lines cannot be forged by a name.
   */
  public String lines() {
    var text = new StringBuilder(files.size() * 100);
    for (ManifestFile file : files) {
      text.append(file.sha256()).append(' ').append(file.size()).append(' ').append(Integer.toOctalString(file.mode())).append(' ')
          .append(file.name()).append('\n');
    }
    return text.toString();
  }

  /** Reads {@link #lines()} back; a line that is not four fields of the right kinds is refused with its number. */
  public static Manifest parse(String lines) {
    var files = new java.util.ArrayList<ManifestFile>();
    String[] split = lines.split("\n", -1);
    if (!split[split.length - 1].isEmpty()) {
      throw new IllegalArgumentException("the manifest does not end with a newline");
    }
    for (int i = 0; i < split.length - 1; i++) {
      String[] fields = split[i].split(" ", 4);
      try {
        if (fields.length != 4) {
          throw new IllegalArgumentException("not four fields");
        }
        files.add(new ManifestFile(fields[3], fields[0], Long.parseLong(fields[1]), Integer.parseInt(fields[2], 8)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("line " + (i + 1) + " of the manifest is not SHA256 SIZE MODE NAME", e);
      }
    }
    return new Manifest(files);
  }

  /** The SHA-256 of {@link #lines()}: the server's receipt and entity tag, for the client to check it committed exactly these files. */
  public String sha256() {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(lines().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
