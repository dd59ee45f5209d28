package io.sparkstaging.submit.cli;

import io.fabric8.kubernetes.client.Config;
import io.sparkstaging.common.config.ConfigException;
import io.sparkstaging.submit.spec.SubmitRequest;
import io.sparkstaging.submit.stage.UploadCredentials;
import io.sparkstaging.submit.Submission;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code submit}: spark-submit's options, for cluster mode on Kubernetes, with local dependencies staged. */
@Command(name = "submit", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
    description = "Stages local dependencies and creates the driver pod and its objects, as spark-submit --deploy-mode cluster would.")
final class SubmitCommand implements Callable<Integer> {
  static final String STAGING_URI = "spark.kubernetes.resourceStagingServer.uri";
  static final String STAGING_INTERNAL_URI = "spark.kubernetes.resourceStagingServer.internal.uri";
  static final String INIT_IMAGE = "spark.kubernetes.initcontainer.docker.image";

  @Spec CommandSpec spec;

  @Option(names = "--master", required = true, description = "k8s://https://HOST:PORT of the API server.")
  String master;

  @Option(names = "--deploy-mode", defaultValue = "cluster", description = "Only cluster is supported.")
  String deployMode;

  @Option(names = "--name", description = "Application name. Default: the main class's simple name.")
  String name;

  @Option(names = "--class", required = true, description = "Main class.")
  String mainClass;

  @Option(names = "--jars", split = ",", description = "Comma-separated jars: local paths are staged, http(s) fetched by the init-container, local:// left as is.")
  List<String> jars = new ArrayList<>();

  @Option(names = "--files", split = ",", description = "Comma-separated files, handled like --jars.")
  List<String> files = new ArrayList<>();

  @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "Spark property (repeatable).")
  Map<String, String> conf = new LinkedHashMap<>();

  @Option(names = "--properties-file", description = "Spark properties file (spark-defaults.conf format).")
  Path propertiesFile;

  @Option(names = "--driver-memory") String driverMemory;
  @Option(names = "--driver-cores") String driverCores;
  @Option(names = "--executor-memory") String executorMemory;
  @Option(names = "--executor-cores") String executorCores;
  @Option(names = "--num-executors") String numExecutors;

  @Option(names = "--image", description = "Spark image (spark.kubernetes.container.image).")
  String image;

  @Option(names = "--staging-server", description = "Staging server for the upload (" + STAGING_URI + ").")
  URI stagingServer;

  @Option(names = "--staging-server-internal", description = "Staging server as the pods reach it (" + STAGING_INTERNAL_URI + ").")
  URI internalStagingServer;

  @Option(names = "--init-image", description = "Init-container image (" + INIT_IMAGE + ").")
  String initImage;

  @Mixin UploadCredentialOptions credentials;

  @Option(names = "--dry-run", description = "Print the objects it would create, as YAML, and contact nothing.")
  boolean dryRun;

  @Option(names = "--wait", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Follow the driver until it ends and exit with its exit code (default); --no-wait returns once it is created.")
  boolean waitForCompletion;

  @Parameters(index = "0", paramLabel = "PRIMARY_RESOURCE", description = "The application jar.")
  String primaryResource;

  @Parameters(index = "1..*", paramLabel = "ARG", description = "Application arguments.")
  List<String> appArgs = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    if (!"cluster".equals(deployMode)) {
      throw new ConfigException("--deploy-mode " + deployMode + " is not supported: this client submits in cluster mode only");
    }
    Map<String, String> properties = properties();
    Config kubernetes = ClusterOptions.config(master, properties);
    String namespace = ClusterOptions.namespace(kubernetes, properties.get("spark.kubernetes.namespace"));
    String sparkImage = properties.get("spark.kubernetes.container.image");
    if (sparkImage == null) {
      throw new ConfigException("set the Spark image: --image or --conf spark.kubernetes.container.image=...");
    }
    String appName = Optional.ofNullable(name).orElse(properties.getOrDefault("spark.app.name", simpleName(mainClass)));
    var request = new SubmitRequest(appName, mainClass, primaryResource, appArgs, list(properties.get("spark.jars")),
        list(properties.get("spark.files")), properties, namespace, sparkImage, properties.get(INIT_IMAGE),
        Optional.ofNullable(properties.get(STAGING_URI)).map(URI::create), Optional.ofNullable(properties.get(STAGING_INTERNAL_URI)).map(URI::create));
    UploadCredentials upload = dryRun ? UploadCredentials.none() : credentials.credentials(() -> kubernetes);
    var submission = new Submission(request, upload, spec.commandLine().getOut(),
        spec.commandLine().getErr());
    return dryRun ? submission.dryRun() : submission.run(kubernetes, waitForCompletion);
  }

  /** Properties file, then {@code --conf}, then the dedicated flags: the same precedence as spark-submit. */
  private Map<String, String> properties() throws IOException {
    var properties = new LinkedHashMap<String, String>();
    if (propertiesFile != null) {
      var file = new Properties();
      try (Reader reader = Files.newBufferedReader(propertiesFile, StandardCharsets.UTF_8)) {
        file.load(reader);
      }
      file.stringPropertyNames().forEach(key -> properties.put(key, file.getProperty(key).strip()));
    }
    properties.putAll(conf);
    put(properties, "spark.jars", jars.isEmpty() ? null : String.join(",", jars));
    put(properties, "spark.files", files.isEmpty() ? null : String.join(",", files));
    put(properties, "spark.driver.memory", driverMemory);
    put(properties, "spark.driver.cores", driverCores);
    put(properties, "spark.executor.memory", executorMemory);
    put(properties, "spark.executor.cores", executorCores);
    put(properties, "spark.executor.instances", numExecutors);
    put(properties, "spark.kubernetes.container.image", image);
    put(properties, STAGING_URI, stagingServer == null ? null : stagingServer.toString());
    put(properties, STAGING_INTERNAL_URI, internalStagingServer == null ? null : internalStagingServer.toString());
    put(properties, INIT_IMAGE, initImage);
    put(properties, "spark.app.name", name);
    return properties;
  }

  private static void put(Map<String, String> properties, String key, String value) {
    if (value != null) {
      properties.put(key, value);
    }
  }

  private static List<String> list(String commaSeparated) {
    return commaSeparated == null || commaSeparated.isBlank() ? List.of()
        : Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  private static String simpleName(String className) {
    return className.substring(className.lastIndexOf('.') + 1);
  }
}
