package io.sparkstaging.submit.deps;

import io.sparkstaging.common.config.ConfigException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.ivy.Ivy;
import org.apache.ivy.core.module.descriptor.Artifact;
import org.apache.ivy.core.module.descriptor.DefaultDependencyDescriptor;
import org.apache.ivy.core.module.descriptor.DefaultExcludeRule;
import org.apache.ivy.core.module.descriptor.DefaultModuleDescriptor;
import org.apache.ivy.core.module.id.ArtifactId;
import org.apache.ivy.core.module.id.ModuleId;
import org.apache.ivy.core.module.id.ModuleRevisionId;
import org.apache.ivy.core.report.ArtifactDownloadReport;
import org.apache.ivy.core.report.ResolveReport;
import org.apache.ivy.core.resolve.ResolveOptions;
import org.apache.ivy.core.settings.IvySettings;
import org.apache.ivy.plugins.matcher.PatternMatcher;
import org.apache.ivy.plugins.resolver.ChainResolver;
import org.apache.ivy.plugins.resolver.DependencyResolver;
import org.apache.ivy.plugins.resolver.IBiblioResolver;

/**
 * Resolves {@code --packages} on the submitter's machine as spark-submit does, with Apache Ivy
 * (Spark's own resolver, so {@code spark.jars.ivySettings} files work unchanged): transitively,
 * from the local Maven repository, Maven Central, the Spark Packages repository and the user's
 * {@code --repositories}, leaving out Scala and Spark's own modules, which the image has. The jars
 * stay in Ivy's cache ({@code ~/.ivy2/cache}, or {@code spark.jars.ivy}) for the next submission.
 */
public final class PackageResolver {
  /** The Spark modules every Spark image has; the underscore keeps e.g. spark-streaming-kafka in. */
  private static final List<String> SPARK_MODULES = List.of("catalyst_", "core_", "graphx_", "kvstore_", "launcher_", "mllib_",
      "mllib-local_", "network-common_", "network-shuffle_", "repl_", "sketch_", "sql_", "streaming_", "tags_", "unsafe_");
  private static final String CONF = "default";

  /** The repositories tried after the local Maven repository, unless an Ivy settings file says otherwise. */
  public record Defaults(Path localMaven, List<String> remote) {
    /** Spark's: Maven Central and Spark Packages, or {@code DEFAULT_ARTIFACT_REPOSITORY} for both. */
    public static Defaults spark(Optional<String> defaultArtifactRepository) {
      return new Defaults(Path.of(System.getProperty("user.home"), ".m2", "repository"), defaultArtifactRepository.map(List::of)
          .orElse(List.of("https://repo1.maven.org/maven2/", "https://repos.spark-packages.org/")));
    }
  }

  /**
   * @param coordinates {@code group:artifact:version} (or {@code group/artifact:version})
   * @param excludes {@code group:artifact} to leave out
   * @param ivyHome {@code spark.jars.ivy}, else {@code ~/.ivy2}
   */
  public record Request(List<String> coordinates, List<String> excludes, List<String> repositories, Optional<Path> ivySettings,
      Optional<Path> ivyHome) {}

  private final Defaults defaults;
  private final PrintStream log;

  /** @param log where Ivy's progress goes: stderr, as spark-submit sends it */
  public PackageResolver(Defaults defaults, PrintStream log) {
    this.defaults = defaults;
    this.log = log;
  }

  /** @return the jars, the requested ones first; empty when nothing was requested */
  public List<Path> resolve(Request request) {
    if (request.coordinates().isEmpty()) {
      return List.of();
    }
    var coordinates = request.coordinates().stream().map(c -> coordinate(c, 3, "--packages")).toList();
    var excludes = request.excludes().stream().map(e -> coordinate(e, 2, "--exclude-packages")).toList();
    IvySettings settings = settings(request);
    var module = DefaultModuleDescriptor.newDefaultInstance(
        ModuleRevisionId.newInstance("io.sparkstaging", "spark-submit-parent-" + UUID.randomUUID(), "1.0"));
    module.setDefaultConf(CONF);
    module.addExcludeRule(exclusion(".*", "scala-library", settings));
    SPARK_MODULES
        .forEach(spark -> module.addExcludeRule(exclusion("org\\.apache\\.spark", "spark-" + Pattern.quote(spark) + ".*", settings)));
    excludes.forEach(e -> module.addExcludeRule(exclusion(Pattern.quote(e[0]), Pattern.quote(e[1]), settings)));
    for (String[] c : coordinates) {
      var dependency = new DefaultDependencyDescriptor(ModuleRevisionId.newInstance(c[0], c[1], c[2]), false, false);
      dependency.addDependencyConfiguration(CONF, CONF + "(runtime)");
      module.addDependency(dependency);
    }
    PrintStream stdout = System.out;
    try {
      // Ivy reports on standard output; a wrapper reading this client's output expects only its own lines there.
      System.setOut(log);
      Ivy ivy = Ivy.newInstance(settings);
      ResolveReport report = ivy.resolve(module, new ResolveOptions().setTransitive(true).setDownload(true).setConfs(new String[] {CONF}));
      if (report.hasError()) {
        throw new ConfigException("--packages " + String.join(",", request.coordinates()) + " did not resolve: "
            + String.join("; ", report.getAllProblemMessages()) + " (tried " + String.join(", ", tried(settings)) + ")");
      }
      var jars = new ArrayList<Path>();
      for (ArtifactDownloadReport artifact : report.getAllArtifactsReports()) {
        Artifact what = artifact.getArtifact();
        if ("jar".equals(what.getExt()) && artifact.getLocalFile() != null) {
          jars.add(artifact.getLocalFile().toPath());
        }
      }
      return jars;
    } catch (ParseException | IOException e) {
      throw new ConfigException("--packages: resolving failed: " + e.getMessage(), e);
    } finally {
      System.setOut(stdout);
    }
  }

  private IvySettings settings(Request request) {
    var settings = new IvySettings();
    if (request.ivySettings().isPresent()) {
      Path file = request.ivySettings().get();
      if (!Files.isRegularFile(file)) {
        throw new ConfigException("spark.jars.ivySettings: " + file + " is not a file");
      }
      try {
        settings.load(file.toFile());
      } catch (ParseException | IOException e) {
        throw new ConfigException("spark.jars.ivySettings: cannot load " + file + ": " + e.getMessage(), e);
      }
    }
    request.ivyHome().ifPresent(home -> {
      settings.setDefaultIvyUserDir(home.toFile());
      settings.setDefaultCache(home.resolve("cache").toFile());
    });
    settings.setVariable("ivy.maven.lookup.sources", "false");
    settings.setVariable("ivy.maven.lookup.javadoc", "false");
    if (request.ivySettings().isEmpty()) {
      var chain = new ChainResolver();
      chain.setName("spark-list");
      chain.add(maven("local-m2-cache", defaults.localMaven().toUri().toString()));
      for (int i = 0; i < defaults.remote().size(); i++) {
        chain.add(maven(i == 0 ? "central" : "spark-packages", defaults.remote().get(i)));
      }
      use(settings, chain);
    }
    if (!request.repositories().isEmpty()) {
      var chain = new ChainResolver();
      chain.setName("user-list");
      Optional.ofNullable(settings.getDefaultResolver()).ifPresent(chain::add);
      for (int i = 0; i < request.repositories().size(); i++) {
        chain.add(maven("repo-" + (i + 1), request.repositories().get(i)));
      }
      use(settings, chain);
    }
    return settings;
  }

  private static void use(IvySettings settings, ChainResolver chain) {
    settings.addResolver(chain);
    settings.setDefaultResolver(chain.getName());
  }

  private static IBiblioResolver maven(String name, String root) {
    var resolver = new IBiblioResolver();
    resolver.setName(name);
    resolver.setM2compatible(true);
    resolver.setUsepoms(true);
    resolver.setRoot(root.endsWith("/") ? root : root + "/");
    return resolver;
  }

  /** The repositories of the default chain, to name in a failure. */
  private static List<String> tried(IvySettings settings) {
    var roots = new ArrayList<String>();
    collect(settings.getDefaultResolver(), roots);
    return roots;
  }

  private static void collect(DependencyResolver resolver, List<String> roots) {
    if (resolver instanceof ChainResolver chain) {
      for (Object member : chain.getResolvers()) {
        collect((DependencyResolver) member, roots);
      }
    } else if (resolver instanceof IBiblioResolver maven) {
      if (!roots.contains(maven.getRoot())) {
        roots.add(maven.getRoot());
      }
    } else if (resolver != null) {
      roots.add(resolver.getName());
    }
  }

  /** Regular expressions, not Ivy's globs: those need Jakarta ORO, which Spark ships and this client does not. */
  private static DefaultExcludeRule exclusion(String group, String artifact, IvySettings settings) {
    var rule = new DefaultExcludeRule(new ArtifactId(new ModuleId(group, artifact), ".*", ".*", ".*"),
        settings.getMatcher(PatternMatcher.REGEXP), null);
    rule.addConfiguration(CONF);
    return rule;
  }

  private static String[] coordinate(String text, int parts, String option) {
    String[] split = text.strip().replace('/', ':').split(":");
    if (split.length != parts || List.of(split).stream().anyMatch(String::isBlank)) {
      throw new ConfigException(option + " '" + text + "': expected " + (parts == 3 ? "groupId:artifactId:version" : "groupId:artifactId"));
    }
    return split;
  }
}
