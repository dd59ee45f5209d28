package io.sparkstaging.submit.deps;

import io.sparkstaging.common.config.ConfigException;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Turns one local entry into the files it stands for: a glob (as spark-submit expands it) into
 * the regular files it matches, a directory into the regular files directly in it (only
 * {@code *.jar} for jars), a file into itself. Each result is checked to be a readable regular
 * file, so that a mistake is reported before anything is staged.
 */
public final class LocalPaths {
  private LocalPaths() {}

  /** @param option the option the entry came from, to name it in errors */
  public static List<DependencyRef.Local> expand(DependencyRef.Local ref, String option, boolean jarsOnly) {
    Path path = ref.path().toAbsolutePath().normalize();
    List<Path> found;
    if (isGlob(path)) {
      found = glob(path);
      if (found.isEmpty()) {
        throw new ConfigException(option + " " + ref.given() + ": matches no file");
      }
    } else if (Files.isDirectory(path)) {
      found = directory(path, jarsOnly);
      if (found.isEmpty()) {
        throw new ConfigException(option + " " + ref.given() + ": the directory holds no " + (jarsOnly ? "jar" : "file"));
      }
    } else {
      found = List.of(path);
    }
    var refs = new ArrayList<DependencyRef.Local>();
    for (Path file : found) {
      if (!Files.exists(file)) {
        throw new ConfigException(option + " " + ref.given() + ": no such file");
      }
      if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
        throw new ConfigException(option + " " + ref.given() + ": " + file + " is not a readable file");
      }
      refs.add(new DependencyRef.Local(found.size() == 1 && file.equals(path) ? ref.given() : file.toString(), file, ref.fragment()));
    }
    return refs;
  }

  private static boolean isGlob(Path path) {
    return path.toString().chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
  }

  private static List<Path> glob(Path pattern) {
    Path base = pattern.getRoot();
    int depth = 0;
    boolean inGlob = false;
    for (Path segment : pattern) {
      if (inGlob || isGlob(segment)) {
        inGlob = true;
        depth++;
      } else {
        base = base.resolve(segment);
      }
    }
    // A backslash escapes in glob syntax, so a Windows path's separators are doubled to stay separators.
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern.toString().replace("\\", "\\\\"));
    try (Stream<Path> walk = Files.walk(base, depth)) {
      return walk.filter(Files::isRegularFile).filter(matcher::matches).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static List<Path> directory(Path directory, boolean jarsOnly) {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .filter(p -> !jarsOnly || p.getFileName().toString().endsWith(".jar"))
          .sorted().toList();
    } catch (IOException e) {
      throw new ConfigException("cannot list " + directory + ": " + e.getMessage(), e);
    }
  }
}
