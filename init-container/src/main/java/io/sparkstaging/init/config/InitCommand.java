package io.sparkstaging.init.config;

import io.sparkstaging.common.config.ConfigException;
import io.sparkstaging.common.config.Converters;
import io.sparkstaging.common.config.HelpOptions;
import io.sparkstaging.common.tls.TrustConfig;
import io.sparkstaging.common.tls.TrustOptions;
import io.sparkstaging.init.config.InitConfig.ArchiveAlias;
import io.sparkstaging.init.config.InitConfig.ExtractLimits;
import io.sparkstaging.init.config.InitConfig.StagedBundleRef;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Every setting of the init-container, with its default and one line of documentation. Each can
 * also come from the environment ({@code STAGING_INIT_} plus the option name in upper case) or
 * from the properties file, by option name or by the original init-container's key.
 *
 * <p>The options are built with picocli's programmatic API rather than read from annotations:
 * reading annotations makes the JVM generate a proxy class per annotation type, which no class
 * archive on JDK 17 holds, and with the reflection over the command's members that cost every
 * pod's start about 25 ms (docs/benchmarks.md).
 */
final class InitCommand {
  static final String DEFAULT_SECRET_DIR = "/mnt/secrets/spark-init";

  Path propertiesFile;
  URI stagingServer;
  String jarsResourceId;
  Path jarsSecretFile;
  String filesResourceId;
  Path filesSecretFile;
  String remoteJars;
  String remoteFiles;
  String unpackArchives;
  Path archivesDir;
  Path jarsDir;
  Path filesDir;
  Duration timeout;
  Boolean tlsEnabled;
  TrustOptions trustOptions;
  long maxUnpackedSize;
  int maxEntries;

  /** The command's options, unparsed. */
  static CommandSpec spec() {
    CommandSpec spec = CommandSpec.create().name("init-container");
    spec.usageMessage().sortOptions(false).autoWidth(true)
        .description("Downloads staged bundles and remote files, verifies them and unpacks them into the pod's volumes.");
    spec.addPositional(PositionalParamSpec.builder().arity("0..1").paramLabel("PROPERTIES_FILE").type(Path.class)
        .description("Properties file; accepts the original apache-spark-on-k8s init-container's keys.").build());
    spec.addOption(option("--staging-server", URI.class, "URI")
        .description("Base URI of the staging server, e.g. http://spark-staging.spark:10000.").build());
    spec.addOption(option("--jars-resource-id", String.class, "ID").description("Id of the staged jars bundle.").build());
    spec.addOption(option("--jars-secret-file", Path.class, "FILE").defaultValue(DEFAULT_SECRET_DIR + "/downloadSubmittedJarsSecret")
        .description("File holding the jars bundle's secret. Default: ${DEFAULT-VALUE}.").build());
    spec.addOption(option("--files-resource-id", String.class, "ID").description("Id of the staged files bundle.").build());
    spec.addOption(option("--files-secret-file", Path.class, "FILE").defaultValue(DEFAULT_SECRET_DIR + "/downloadSubmittedFilesSecret")
        .description("File holding the files bundle's secret. Default: ${DEFAULT-VALUE}.").build());
    spec.addOption(
        option("--remote-jars", String.class, "URI,...").description("Comma-separated http(s) URIs of jars to download.").build());
    spec.addOption(
        option("--remote-files", String.class, "URI,...").description("Comma-separated http(s) URIs of files to download.").build());
    spec.addOption(option("--unpack-archives", String.class, "NAME#ALIAS,...")
        .description("Comma-separated fetched files to unpack, each into the directory ALIAS in --archives-dir (.zip, .jar, .tar, .tar.gz, "
            + ".tgz; any other is copied as ALIAS, as Spark does).")
        .build());
    spec.addOption(
        option("--archives-dir", Path.class, "DIR").description("Where archives are unpacked. Default: .archives in --files-dir.").build());
    spec.addOption(option("--jars-dir", Path.class, "DIR").defaultValue("/var/spark-data/spark-jars")
        .description("Where jars go. Default: ${DEFAULT-VALUE}.").build());
    spec.addOption(option("--files-dir", Path.class, "DIR").defaultValue("/var/spark-data/spark-files")
        .description("Where files go. Default: ${DEFAULT-VALUE}.").build());
    spec.addOption(option("--timeout", Duration.class, "DURATION").defaultValue("5").converters(new Converters.MinutesOrTime())
        .description("Overall time limit; a bare number is minutes, as in the original. Default: ${DEFAULT-VALUE} minutes.").build());
    spec.addOption(option("--tls-enabled", Boolean.class, "BOOLEAN").arity("0..1").fallbackValue("true")
        .description("Apply the trust settings below; when false, https uses the JVM's default trust store. Default: true.").build());
    TrustOptions.addTo(spec);
    spec.addOption(option("--max-unpacked-size", long.class, "SIZE").defaultValue("8g").converters(new Converters.Size())
        .description("Most bytes a bundle may unpack to (decompression-bomb guard). Default: ${DEFAULT-VALUE}.").build());
    spec.addOption(option("--max-entries", int.class, "COUNT").defaultValue("100000")
        .description("Most entries a bundle may hold. Default: ${DEFAULT-VALUE}.").build());
    HelpOptions.addTo(spec);
    return spec;
  }

  private static OptionSpec.Builder option(String name, Class<?> type, String label) {
    return OptionSpec.builder(name).type(type).paramLabel(label);
  }

  /** The settings a parse of {@link #spec} found. */
  InitCommand(CommandSpec parsed) {
    propertiesFile = parsed.positionalParameters().get(0).getValue();
    stagingServer = value(parsed, "--staging-server");
    jarsResourceId = value(parsed, "--jars-resource-id");
    jarsSecretFile = value(parsed, "--jars-secret-file");
    filesResourceId = value(parsed, "--files-resource-id");
    filesSecretFile = value(parsed, "--files-secret-file");
    remoteJars = value(parsed, "--remote-jars");
    remoteFiles = value(parsed, "--remote-files");
    unpackArchives = value(parsed, "--unpack-archives");
    archivesDir = value(parsed, "--archives-dir");
    jarsDir = value(parsed, "--jars-dir");
    filesDir = value(parsed, "--files-dir");
    timeout = value(parsed, "--timeout");
    tlsEnabled = value(parsed, "--tls-enabled");
    trustOptions = TrustOptions.from(parsed);
    maxUnpackedSize = value(parsed, "--max-unpacked-size");
    maxEntries = value(parsed, "--max-entries");
  }

  private static <T> T value(CommandSpec parsed, String option) {
    return parsed.findOption(option).getValue();
  }

  InitConfig toConfig() {
    require(!timeout.isNegative() && !timeout.isZero(), "--timeout must be positive");
    require(maxUnpackedSize > 0 && maxEntries > 0, "--max-unpacked-size and --max-entries must be positive");
    Optional<StagedBundleRef> jars = staged(jarsResourceId, jarsSecretFile);
    Optional<StagedBundleRef> files = staged(filesResourceId, filesSecretFile);
    require(stagingServer != null || (jars.isEmpty() && files.isEmpty()),
        "a resource id is set but --staging-server (spark.kubernetes.resourceStagingServer.uri) is not");
    if (stagingServer != null) {
      requireHttp(stagingServer, "--staging-server");
    }
    return new InitConfig(Optional.ofNullable(stagingServer).map(InitCommand::withoutTrailingSlash), jars, files,
        uris(remoteJars, "--remote-jars"), uris(remoteFiles, "--remote-files"), archives(unpackArchives), jarsDir, filesDir,
        archivesDir != null ? archivesDir : filesDir.resolve(".archives"), timeout, trust(),
        new ExtractLimits(maxUnpackedSize, maxEntries));
  }

  private static Optional<StagedBundleRef> staged(String resourceId, Path secretFile) {
    if (resourceId == null || resourceId.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(new StagedBundleRef(resourceId.strip(), secretFile));
  }

  private TrustConfig trust() {
    if (Boolean.FALSE.equals(tlsEnabled)) {
      return new TrustConfig.SystemDefault();
    }
    return trustOptions.toTrustConfig();
  }

  private static List<URI> uris(String commaSeparated, String option) {
    if (commaSeparated == null || commaSeparated.isBlank()) {
      return List.of();
    }
    return Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(s -> !s.isEmpty()).map(text -> {
      URI uri;
      try {
        uri = URI.create(text);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(option + ": '" + text + "' is not a URI");
      }
      requireHttp(uri, option);
      return uri;
    }).toList();
  }

  private static List<ArchiveAlias> archives(String commaSeparated) {
    if (commaSeparated == null || commaSeparated.isBlank()) {
      return List.of();
    }
    return Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(s -> !s.isEmpty()).map(text -> {
      int hash = text.lastIndexOf('#');
      String name = hash < 0 ? text : text.substring(0, hash);
      String alias = hash < 0 ? text : text.substring(hash + 1);
      for (String part : List.of(name, alias)) {
        require(
            !part.isEmpty() && !part.equals(".") && !part.equals("..") && !part.contains("/") && !part.contains("\\")
                && !part.startsWith(".spark-init"),
            "--unpack-archives: '" + text + "' must be NAME#ALIAS, both plain file names");
      }
      return new ArchiveAlias(name, alias);
    }).toList();
  }

  private static void requireHttp(URI uri, String option) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    require((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null,
        option + ": '" + uri + "' is not an http or https URI");
  }

  private static URI withoutTrailingSlash(URI uri) {
    String text = uri.toString();
    return text.endsWith("/") ? URI.create(text.substring(0, text.length() - 1)) : uri;
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new ConfigException(message);
    }
  }
}
