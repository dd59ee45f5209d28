package io.sparkstaging.submit.deps;

import io.sparkstaging.common.config.ConfigException;
import io.sparkstaging.common.wire.BundleFormat;
import io.sparkstaging.common.wire.RemoteFileNames;
import io.sparkstaging.spark.PodFiles;
import io.sparkstaging.submit.driver.AppKind;
import io.sparkstaging.submit.driver.SubmitRequest;
import io.sparkstaging.submit.pod.InitContainerSpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where every dependency goes, decided before anything is staged: local jars into the jars bundle,
 * local files, Python files, archives and a Python primary into the files bundle, http(s) ones to
 * the init-container, the rest left to Spark; and the Spark properties that point at where the
 * init-container puts each one in the pod.
 *
 * <p>Jars go to Spark as {@code local://} paths, which every executor copies from its own pod.
 * Files, Python files and archives go as {@code local://} paths too, so that the driver never
 * serves them; {@link PodFiles}' plugin then links them where {@code SparkFiles} looks, and the
 * init-container unpacks each archive under its alias.
 *
 * @param jarsToStage local jars, in bundle order; {@code jarNames} their names in the bundle
 * @param filesToStage local files of every other kind; their names are the files' own, and unique
 * @param podProperties {@code spark.jars}, {@code spark.files}, {@code spark.submit.pyFiles},
 *     {@code spark.archives} and the plugin's properties, as the driver must see them
 * @param unpack {@code name#alias} for each archive the init-container unpacks in the files directory
 */
public record DependencyPlan(List<Path> jarsToStage, List<String> jarNames, List<Path> filesToStage, List<URI> remoteJars,
    List<URI> remoteFiles, String primaryInPod, Map<String, String> podProperties, List<String> unpack) {

  /** The properties the plan decides: the user's values are replaced, whether or not the plan sets them. */
  public static final Set<String> REPLACED_KEYS = Set.of("spark.jars", "spark.files", "spark.submit.pyFiles", "spark.archives",
      "spark.jars.packages", "spark.jars.repositories", "spark.jars.excludes", "spark.jars.ivySettings", "spark.jars.ivy");

  public DependencyPlan {
    jarsToStage = List.copyOf(jarsToStage);
    jarNames = List.copyOf(jarNames);
    filesToStage = List.copyOf(filesToStage);
    remoteJars = List.copyOf(remoteJars);
    remoteFiles = List.copyOf(remoteFiles);
    podProperties = Map.copyOf(podProperties);
    unpack = List.copyOf(unpack);
  }

  public boolean needsInitContainer() {
    return !jarsToStage.isEmpty() || !filesToStage.isEmpty() || !remoteJars.isEmpty() || !remoteFiles.isEmpty();
  }

  public boolean stagesAnything() {
    return !jarsToStage.isEmpty() || !filesToStage.isEmpty();
  }

  /**
   * @param pluginJar the staging plugin's jar, staged when files need linking
   * @throws ConfigException naming the first entry that does not exist, is unreadable, or collides with another
   */
  public static DependencyPlan of(SubmitRequest request, Path pluginJar) {
    return new Planner(request).plan(pluginJar);
  }

  private static final class Planner {
    private final SubmitRequest request;
    private final List<Path> jarsToStage = new ArrayList<>();
    private final List<String> jarNames = new ArrayList<>();
    private final Set<String> jarNamesUsed = new HashSet<>();
    private final List<Path> filesToStage = new ArrayList<>();
    private final Map<String, String> fileNameOrigins = new LinkedHashMap<>();
    private final List<URI> remoteJars = new ArrayList<>();
    private final List<URI> remoteFiles = new ArrayList<>();
    private final List<String> links = new ArrayList<>();
    private final List<String> archiveLinks = new ArrayList<>();
    private final List<String> unpack = new ArrayList<>();

    Planner(SubmitRequest request) {
      this.request = request;
      jarNamesUsed.add(PodFiles.JAR_NAME);
    }

    DependencyPlan plan(Path pluginJar) {
      var dependencies = request.dependencies();
      var jars = new ArrayList<String>();
      String primary;
      if (request.kind() == AppKind.JAVA) {
        // Cluster-mode Spark expects the primary jar in spark.jars too.
        jars.addAll(jar("primary resource", request.primaryResource()));
        primary = jars.isEmpty() ? request.primaryResource() : jars.get(0);
      } else {
        List<String> placed = file("primary resource", request.primaryResource(), Kind.PRIMARY);
        primary = placed.isEmpty() ? request.primaryResource() : placed.get(0);
      }
      for (String jar : dependencies.jars()) {
        jar("--jars", jar).stream().filter(uri -> !jars.contains(uri)).forEach(jars::add);
      }
      var files = new ArrayList<String>();
      dependencies.files().forEach(file -> files.addAll(file("--files", file, Kind.FILE)));
      var pyFiles = new ArrayList<String>();
      dependencies.pyFiles().forEach(file -> pyFiles.addAll(file("--py-files", file, Kind.FILE)));
      var archives = new ArrayList<String>();
      dependencies.archives().forEach(archive -> archives.addAll(file("--archives", archive, Kind.ARCHIVE)));

      var properties = new LinkedHashMap<String, String>();
      if (!links.isEmpty() || !archiveLinks.isEmpty()) {
        jarsToStage.add(0, pluginJar);
        jarNames.add(0, PodFiles.JAR_NAME);
        jars.add(jars.isEmpty() ? 0 : 1, podUri(InitContainerSpec.JARS_DIR, PodFiles.JAR_NAME));
        String plugins = request.conf().get("spark.plugins");
        properties.put("spark.plugins",
            plugins == null || plugins.isBlank() ? PodFiles.PLUGIN_CLASS : plugins + "," + PodFiles.PLUGIN_CLASS);
        properties.put(PodFiles.DIR, InitContainerSpec.FILES_DIR);
        properties.put(PodFiles.NAMES, String.join(",", links));
        properties.put(PodFiles.ARCHIVES_DIR, InitContainerSpec.ARCHIVES_DIR);
        properties.put(PodFiles.ARCHIVES, String.join(",", archiveLinks));
      }
      putList(properties, "spark.jars", jars);
      putList(properties, "spark.files", files);
      putList(properties, "spark.submit.pyFiles", pyFiles);
      putList(properties, "spark.archives", archives);
      return new DependencyPlan(jarsToStage, jarNames, filesToStage, remoteJars, remoteFiles, primary, properties, unpack);
    }

    private static void putList(Map<String, String> properties, String key, List<String> values) {
      if (!values.isEmpty()) {
        properties.put(key, String.join(",", values));
      }
    }

    /** @return the entry's URIs in the pod: one per file a glob or directory stands for */
    private List<String> jar(String option, String text) {
      DependencyRef ref = parse(option, text);
      refuseFragment(option, ref);
      var uris = new ArrayList<String>();
      if (ref instanceof DependencyRef.Local local) {
        for (DependencyRef.Local file : LocalPaths.expand(local, option, true)) {
          refuseComma(option, file.given(), file.path().getFileName().toString());
          String name = BundleFormat.uniqueName(file.path().getFileName().toString(), jarNamesUsed);
          jarsToStage.add(file.path());
          jarNames.add(name);
          uris.add(podUri(InitContainerSpec.JARS_DIR, name));
        }
      } else if (ref instanceof DependencyRef.Remote remote) {
        String name = lastSegment(option, remote);
        refuseComma(option, remote.given(), name);
        if (!jarNamesUsed.add(name)) {
          throw new ConfigException(option + " " + text + ": another jar is named " + name + " too");
        }
        remoteJars.add(remote.uri());
        uris.add(podUri(InitContainerSpec.JARS_DIR, name));
      } else {
        uris.add(ref.given());
      }
      return uris;
    }

    private enum Kind {
      PRIMARY,
      FILE,
      ARCHIVE
    }

    private List<String> file(String option, String text, Kind kind) {
      DependencyRef ref = parse(option, text);
      if (kind != Kind.ARCHIVE) {
        refuseFragment(option, ref);
      }
      var uris = new ArrayList<String>();
      if (ref instanceof DependencyRef.Local local) {
        for (DependencyRef.Local file : LocalPaths.expand(local, option, false)) {
          String name = file.path().getFileName().toString();
          claimName(option, file.given(), name);
          filesToStage.add(file.path());
          uris.add(placed(option, file, name, kind));
        }
      } else if (ref instanceof DependencyRef.Remote remote) {
        String name = lastSegment(option, remote);
        claimName(option, remote.given(), name);
        remoteFiles.add(remote.uri());
        uris.add(placed(option, remote, name, kind));
      } else {
        uris.add(ref.given());
      }
      return uris;
    }

    /** The entry's URI in the pod, and what the init-container and the plugin must do with it. */
    private String placed(String option, DependencyRef ref, String name, Kind kind) {
      String uri = podUri(InitContainerSpec.FILES_DIR, name);
      switch (kind) {
        case PRIMARY -> {
        }
        case FILE -> links.add(name);
        case ARCHIVE -> {
          String alias = ref.fragment().orElse(name);
          if (alias.isEmpty() || alias.contains("/") || alias.contains("\\") || alias.equals(".") || alias.equals("..")) {
            throw new ConfigException(option + " " + ref.given() + ": '" + alias + "' is not a usable directory name");
          }
          if (!alias.equals(name)) {
            claimName(option, ref.given(), alias);
          }
          unpack.add(name + "#" + alias);
          archiveLinks.add(alias);
          return uri + "#" + alias;
        }
      }
      return uri;
    }

    /** Files land under their own names, where SparkFiles looks them up: two of one name cannot both be there. */
    private void claimName(String option, String given, String name) {
      refuseComma(option, given, name);
      String other = fileNameOrigins.putIfAbsent(name, option + " " + given);
      if (other != null) {
        throw new ConfigException(option + " " + given + ": " + other + " is also named '" + name
            + "' in the pods' working directories; rename one");
      }
    }

    /** Spark's lists are comma-separated: a name with a comma would be cut in two. */
    private static void refuseComma(String option, String given, String name) {
      if (name.contains(",")) {
        throw new ConfigException(option + " " + given + ": Spark cannot list a file whose name holds a comma");
      }
    }

    private static DependencyRef parse(String option, String text) {
      try {
        return DependencyRef.parse(text);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(option + ": " + e.getMessage(), e);
      }
    }

    private static void refuseFragment(String option, DependencyRef ref) {
      if (ref.fragment().isPresent()) {
        throw new ConfigException(option + " " + ref.given() + ": '#' names an archive's directory, and only --archives takes one");
      }
    }

    private static String lastSegment(String option, DependencyRef.Remote remote) {
      return RemoteFileNames.of(remote.uri()).orElseThrow(() -> new ConfigException(
          option + " " + remote.given() + ": the URI's path does not end in a file name"));
    }
  }

  /** Percent-encoded, since Spark parses these as URIs: a name with a space would otherwise be read as a relative path. */
  private static String podUri(String dir, String name) {
    try {
      return "local://" + dir + "/" + new URI(null, null, name, null).getRawPath();
    } catch (URISyntaxException e) {
      throw new ConfigException("'" + name + "' cannot be part of a URI: " + e.getReason(), e);
    }
  }

  /** The names of the files bundle's entries: the files' own. */
  public List<String> fileNames() {
    return filesToStage.stream().map(path -> path.getFileName().toString()).toList();
  }
}
