package io.sparkstaging.server.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

/**
 * The class lists from which the images build their class-data sharing archives (a module's {@code
 * src/main/cds/*.classlist}, read by its Dockerfile), checked against what a training run of the
 * packaged jar loaded: a class of the jar missing from the list is loaded and linked at every start.
 */
public final class ClassLists {
  private ClassLists() {}

  /** The JVM flags of the module's image ({@code Dockerfile}'s ENTRYPOINT), less the archive, which the training run is to list classes for. */
  public static List<String> imageFlags() throws Exception {
    String entrypoint = Files.readAllLines(Path.of("Dockerfile")).stream().filter(line -> line.startsWith("ENTRYPOINT")).findFirst()
        .orElseThrow();
    return List.of(entrypoint.replaceAll("^ENTRYPOINT \\[\"[^\"]*java\", (.*), \"-jar\".*$", "$1").replace("\"", "").split(", ")).stream()
        .filter(flag -> !flag.startsWith("-XX:SharedArchiveFile=")).toList();
  }

  /**
   * Fails, naming them and the command that writes the list anew, when {@code dumped} (a training
   * run's {@code -XX:DumpLoadedClassList}) holds classes of {@code jar} that {@code committed} lacks:
   * any of the project's own, or more than one in a hundred of its libraries' (a run that logs a
   * stack trace, say, loads a few more than one that does not, and that must not fail the build).
   * With {@code -Dcds.classlist.update=true} it writes the committed list from the run instead.
   */
  public static void assertHoldsEveryClassOfTheJar(Path committed, Path dumped, Path jar, String updateCommand) throws Exception {
    if (Boolean.getBoolean("cds.classlist.update")) {
      Files.copy(dumped, committed, StandardCopyOption.REPLACE_EXISTING);
    }
    Set<String> loaded = classesOfTheJar(Files.readAllLines(dumped), jar);
    Set<String> missing = new TreeSet<>(loaded);
    missing.removeAll(classesOfTheJar(Files.readAllLines(committed), jar));
    String advice = "classes " + committed + " lacks: write it anew with " + updateCommand + " -Dcds.classlist.update=true";
    assertThat(missing).as(advice).noneMatch(name -> name.startsWith("io/sparkstaging/"));
    assertThat(missing.size()).as(advice + ": " + missing).isLessThanOrEqualTo(loaded.size() / 100);
  }

  /** The list's lines naming a class of the jar (the project's and its libraries'), not the JDK's. */
  private static Set<String> classesOfTheJar(List<String> lines, Path jar) throws Exception {
    try (var classes = new JarFile(jar.toFile())) {
      return lines.stream().filter(line -> !line.startsWith("@") && !line.startsWith("#")).map(line -> line.split(" ")[0])
          .filter(name -> classes.getEntry(name + ".class") != null).collect(Collectors.toCollection(TreeSet::new));
    }
  }
}
