package io.sparkstaging.init.config;

import io.sparkstaging.common.config.LayeredCommandLine;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/** Builds the {@link InitConfig} from the command line, the environment and the properties file. */
public final class InitConfigLoader {
  private static final String SERVER = "spark.kubernetes.resourceStagingServer.";
  private static final String SSL = "spark.ssl.kubernetes.resourceStagingServer.";
  private static final String INIT = "spark.kubernetes.initcontainer.";
  private static final String MOUNT = "spark.kubernetes.mountdependencies.";

  /**
   * The original init-container's keys. Where an {@code .internal.} key and its plain twin are both
   * set, the internal one wins: it is the address and trust the pods use.
   */
  static final Map<String, String> ORIGINAL_KEYS = originalKeys();

  private static final LayeredCommandLine COMMAND_LINE = new LayeredCommandLine("STAGING_INIT_", ORIGINAL_KEYS);

  private InitConfigLoader() {}

  private static Map<String, String> originalKeys() {
    var keys = new LinkedHashMap<String, String>();
    keys.put(SERVER + "internal.uri", "staging-server");
    keys.put(SERVER + "uri", "staging-server");
    keys.put(INIT + "downloadJarsResourceIdentifier", "jars-resource-id");
    keys.put(INIT + "downloadJarsSecretLocation", "jars-secret-file");
    keys.put(INIT + "downloadFilesResourceIdentifier", "files-resource-id");
    keys.put(INIT + "downloadFilesSecretLocation", "files-secret-file");
    keys.put(INIT + "remoteJars", "remote-jars");
    keys.put(INIT + "remoteFiles", "remote-files");
    keys.put(INIT + "unpackArchives", "unpack-archives");
    keys.put(MOUNT + "jarsDownloadDir", "jars-dir");
    keys.put(MOUNT + "filesDownloadDir", "files-dir");
    keys.put(MOUNT + "archivesDir", "archives-dir");
    keys.put(MOUNT + "mountTimeout", "timeout");
    for (String ssl : new String[] {SSL + "internal.", SSL}) {
      keys.put(ssl + "enabled", "tls-enabled");
      keys.put(ssl + "trustStore", "trust-store");
      keys.put(ssl + "trustStorePassword", "trust-store-password");
      keys.put(ssl + "trustStoreType", "trust-store-type");
      keys.put(ssl + "clientCertPem", "trust-cert-pem");
    }
    return keys;
  }

  /**
   * @param warn told of properties-file keys that no option uses
   * @return empty if only help or the version was asked for (printed to {@code out})
   * @throws io.sparkstaging.common.config.ConfigException naming the setting that is wrong
   */
  public static Optional<InitConfig> load(String[] args, Map<String, String> environment, PrintWriter out, Consumer<Set<String>> warn) {
    return COMMAND_LINE.parse(InitCommand::spec, spec -> spec.positionalParameters().get(0).getValue(), args, environment, out)
        .map(parsed -> {
          if (!parsed.ignoredKeys().isEmpty()) {
            warn.accept(parsed.ignoredKeys());
          }
          return new InitCommand(parsed.command()).toConfig();
        });
  }
}
