package io.sparkstaging.init.place;

import io.sparkstaging.common.files.FileTrees;
import io.sparkstaging.init.verify.ContentRejected;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A hidden directory inside a target directory where dependencies are unpacked before they are
 * trusted. In a pod the target is itself an emptyDir mount point, so inside it is the only place
 * on the same volume, where moving an entry into place is a rename.
 *
 * <p>Each dependency gets a slot. Only once every dependency of the run has checked out does
 * {@link #commitAll} move the slots' entries into their targets; otherwise {@link #close}
 * removes everything, and the targets are exactly as they were.
 */
public final class StagingArea implements AutoCloseable {
  private static final String AREA_PREFIX = ".spark-init-";
  private static final int MAX_AREAS = 1000;
  private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

  private final Path target;
  private final Path root;
  private final Map<Path, String> slots = new HashMap<>();

  private StagingArea(Path target, Path root) {
    this.target = target;
    this.root = root;
  }

  /**
   * Makes the hidden directory {@code .spark-init-N}, with the first N not taken (a run killed
   * before it could clean up leaves its own), readable by this user only. Not
   * {@code Files.createTempDirectory}, whose first call seeds a {@code SecureRandom} for a random
   * name: 12 ms of a pod's start, for a name no one else can race for, since creating a directory
   * fails if it exists.
   */
  public static StagingArea in(Path target) throws IOException {
    for (int n = 0; n < MAX_AREAS; n++) {
      try {
        return new StagingArea(target, Files.createDirectory(target.resolve(AREA_PREFIX + n), OWNER_ONLY));
      } catch (FileAlreadyExistsException taken) {
        // a leftover, or another run's: the next number
      }
    }
    throw new IOException(target + " already holds " + MAX_AREAS + " directories " + AREA_PREFIX + "*: remove them");
  }

  public Path target() {
    return target;
  }

  /** An empty directory for one dependency; {@code source} names it in collision messages. */
  public synchronized Path newSlot(String source) throws IOException {
    Path slot = Files.createDirectory(root.resolve("slot-" + slots.size()));
    slots.put(slot, source);
    return slot;
  }

  /** The staged entry of this name, in whichever slot holds it. */
  public synchronized Optional<Path> find(String name) {
    return slots.keySet().stream().map(slot -> slot.resolve(name)).filter(path -> Files.exists(path, LinkOption.NOFOLLOW_LINKS))
        .findFirst();
  }

  /**
   * Moves every slot's entries into the targets, after checking that no two dependencies bring the
   * same name and that nothing in a target would be overwritten. An entry identical to one already
   * in the target (a rerun of the same pod) is left as it is.
   */
  public static void commitAll(List<StagingArea> areas) throws IOException {
    var moves = new HashMap<Path, Path>();
    for (StagingArea area : areas) {
      var origins = new HashMap<String, String>();
      for (var slot : area.slots.entrySet()) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(slot.getKey())) {
          for (Path entry : entries) {
            String name = entry.getFileName().toString();
            String other = origins.putIfAbsent(name, slot.getValue());
            if (other != null) {
              throw new ContentRejected("'" + name + "' comes from both " + other + " and " + slot.getValue());
            }
            Path destination = area.target.resolve(name);
            if (Files.exists(destination, LinkOption.NOFOLLOW_LINKS)) {
              if (!sameFile(entry, destination)) {
                throw new ContentRejected("'" + destination + "' already exists with other content (from " + slot.getValue() + ")");
              }
              continue;
            }
            moves.put(entry, destination);
          }
        }
      }
    }
    for (var move : moves.entrySet()) {
      Files.move(move.getKey(), move.getValue(), StandardCopyOption.ATOMIC_MOVE);
    }
  }

  /** The same bytes, or for an unpacked archive, the same tree of the same bytes. */
  private static boolean sameFile(Path staged, Path existing) throws IOException {
    if (Files.isDirectory(staged) && Files.isDirectory(existing, LinkOption.NOFOLLOW_LINKS)) {
      try (Stream<Path> stagedTree = Files.walk(staged); Stream<Path> existingTree = Files.walk(existing)) {
        List<Path> names = stagedTree.map(staged::relativize).sorted().toList();
        if (!names.equals(existingTree.map(existing::relativize).sorted().toList())) {
          return false;
        }
      }
      try (Stream<Path> stagedTree = Files.walk(staged)) {
        for (Path entry : stagedTree.filter(Files::isRegularFile).toList()) {
          if (!sameFile(entry, existing.resolve(staged.relativize(entry)))) {
            return false;
          }
        }
      }
      return true;
    }
    return Files.isRegularFile(staged) && Files.isRegularFile(existing, LinkOption.NOFOLLOW_LINKS)
        && Files.mismatch(staged, existing) == -1;
  }

  /** Removes the hidden directory and whatever is still in it. */
  @Override
  public void close() throws IOException {
    FileTrees.deleteRecursively(root);
  }
}
