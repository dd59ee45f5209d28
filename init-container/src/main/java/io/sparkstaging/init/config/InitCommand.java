package io.sparkstaging.init.config;

import io.sparkstaging.common.config.ConfigException;
import io.sparkstaging.common.config.Converters;
import io.sparkstaging.common.tls.TrustConfig;
import io.sparkstaging.common.tls.TrustOptions;
import io.sparkstaging.common.units.DurationText;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Every setting of the init-container, with its default and one line of documentation. Each can
 * also come from the environment ({@code STAGING_INIT_} plus the option name in upper case) or
 * from the properties file, by option name or by the original init-container's key.
 */
@Command(
    name = "init-container",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = "Downloads staged bundles and remote files, verifies them and unpacks them into the pod's volumes.")
final class InitCommand {
  static final String DEFAULT_SECRET_DIR = "/mnt/secrets/spark-init";

  @Parameters(arity = "0..1", paramLabel = "PROPERTIES_FILE",
      description = "Properties file; accepts the original apache-spark-on-k8s init-container's keys.")
  Path propertiesFile;

  @Option(names = "--staging-server", description = "Base URI of the staging server, e.g. http://spark-staging.spark:10000.")
  URI stagingServer;

  @Option(names = "--jars-resource-id", description = "Id of the staged jars bundle.")
  String jarsResourceId;

  @Option(names = "--jars-secret-file", defaultValue = DEFAULT_SECRET_DIR + "/downloadSubmittedJarsSecret",
      description = "File holding the jars bundle's secret. Default: ${DEFAULT-VALUE}.")
  Path jarsSecretFile;

  @Option(names = "--files-resource-id", description = "Id of the staged files bundle.")
  String filesResourceId;

  @Option(names = "--files-secret-file", defaultValue = DEFAULT_SECRET_DIR + "/downloadSubmittedFilesSecret",
      description = "File holding the files bundle's secret. Default: ${DEFAULT-VALUE}.")
  Path filesSecretFile;

  @Option(names = "--remote-jars", description = "Comma-separated http(s) URIs of jars to download.")
  String remoteJars;

  @Option(names = "--remote-files", description = "Comma-separated http(s) URIs of files to download.")
  String remoteFiles;

  @Option(names = "--unpack-archives", paramLabel = "NAME#ALIAS,...",
      description = "Comma-separated fetched files to unpack, each into the directory ALIAS in --archives-dir (.zip, .jar, .tar, .tar.gz, .tgz; any other is copied as ALIAS, as Spark does).")
  String unpackArchives;

  @Option(names = "--archives-dir", description = "Where archives are unpacked. Default: .archives in --files-dir.")
  Path archivesDir;

  @Option(names = "--jars-dir", defaultValue = "/var/spark-data/spark-jars", description = "Where jars go. Default: ${DEFAULT-VALUE}.")
  Path jarsDir;

  @Option(names = "--files-dir", defaultValue = "/var/spark-data/spark-files", description = "Where files go. Default: ${DEFAULT-VALUE}.")
  Path filesDir;

  @Option(names = "--timeout", defaultValue = "5", converter = MinutesConverter.class,
      description = "Overall time limit; a bare number is minutes, as in the original. Default: ${DEFAULT-VALUE} minutes.")
  Duration timeout;

  @Option(names = "--tls-enabled", arity = "0..1", fallbackValue = "true",
      description = "Apply the trust settings below; when false, https uses the JVM's default trust store. Default: true.")
  Boolean tlsEnabled;

  @Mixin
  TrustOptions trustOptions;

  @Option(names = "--max-unpacked-size", defaultValue = "8g", converter = Converters.Size.class,
      description = "Most bytes a bundle may unpack to (decompression-bomb guard). Default: ${DEFAULT-VALUE}.")
  long maxUnpackedSize;

  @Option(names = "--max-entries", defaultValue = "100000", description = "Most entries a bundle may hold. Default: ${DEFAULT-VALUE}.")
  int maxEntries;

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

  /** Spark's {@code mountTimeout} is a time setting in minutes: a bare number is minutes. */
  static final class MinutesConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String text = value.strip();
      return text.chars().allMatch(Character::isDigit) && !text.isEmpty()
          ? Duration.ofMinutes(Long.parseLong(text)) : DurationText.parse(text);
    }
  }
}
