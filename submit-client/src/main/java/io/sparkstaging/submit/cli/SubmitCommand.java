package io.sparkstaging.submit.cli;

import io.fabric8.kubernetes.client.Config;
import io.sparkstaging.common.config.ConfigException;
import io.sparkstaging.submit.Submission;
import io.sparkstaging.submit.deps.DependencyRef;
import io.sparkstaging.submit.driver.AppKind;
import io.sparkstaging.submit.driver.SubmitRequest;
import io.sparkstaging.submit.stage.UploadCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.jar.JarInputStream;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code submit}: spark-submit's options, for cluster mode on Kubernetes, with local dependencies staged. */
@Command(name = "submit", sortOptions = false, usageHelpAutoWidth = true, versionProvider = Version.class,
    customSynopsis = {"spark-staging submit [OPTIONS] PRIMARY_RESOURCE [APP_ARGS...]",
        "       spark-staging submit --status|--kill [NAMESPACE:]DRIVER_POD [OPTIONS]"},
    description = "Stages local dependencies and creates the driver pod and its objects, as spark-submit --deploy-mode cluster would.%n"
        + "PRIMARY_RESOURCE is the application's jar or .py file; everything after it goes to the application.")
final class SubmitCommand implements Callable<Integer> {
  static final String STAGING_URI = "spark.kubernetes.resourceStagingServer.uri";
  static final String STAGING_INTERNAL_URI = "spark.kubernetes.resourceStagingServer.internal.uri";
  static final String INIT_IMAGE = "spark.kubernetes.initcontainer.docker.image";

  @Spec
  CommandSpec spec;

  @ArgGroup(validate = false, order = 1, heading = "%nApplication:%n")
  SubmitOptions.Application app = new SubmitOptions.Application();
  @ArgGroup(validate = false, order = 2, heading = "%nDependencies:%n")
  SubmitOptions.Dependencies deps = new SubmitOptions.Dependencies();
  @ArgGroup(validate = false, order = 3, heading = "%nDriver and executors:%n")
  SubmitOptions.Resources resources = new SubmitOptions.Resources();
  @ArgGroup(validate = false, order = 4, heading = "%nKubernetes and staging:%n")
  SubmitOptions.Staging staging = new SubmitOptions.Staging();
  @ArgGroup(validate = false, order = 5, heading = "%nUpload credentials:%n")
  UploadCredentialOptions credentials = new UploadCredentialOptions();
  @ArgGroup(validate = false, order = 6, heading = "%nOther actions:%n")
  SubmitOptions.Actions actions = new SubmitOptions.Actions();
  @ArgGroup(validate = false, order = 7, heading = "%nspark-submit options with no meaning here (refused):%n")
  SubmitOptions.Refused refused = new SubmitOptions.Refused();

  @Parameters(index = "0", arity = "0..1", paramLabel = "PRIMARY_RESOURCE", description = "The application's jar, or its .py file.")
  String primaryResource;

  @Parameters(index = "1..*", paramLabel = "APP_ARGS", description = "The application's arguments.")
  List<String> appArgs = new ArrayList<>();

  private final Map<String, String> environment;

  SubmitCommand(Map<String, String> environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() throws Exception {
    String refusal = refused.firstGiven();
    if (refusal != null) {
      throw new ConfigException(refusal);
    }
    if (!"cluster".equals(app.deployMode)) {
      throw new ConfigException(
          "--deploy-mode " + app.deployMode + ": this client submits in cluster mode only; for client mode, run Spark's own spark-submit");
    }
    SparkConfDir confDir = SparkConfDir.from(environment);
    Map<String, String> properties = properties(confDir);
    Config kubernetes = ClusterOptions.config(app.master, properties);
    if (actions.status != null || actions.kill != null) {
      return new SubmissionIds(kubernetes, ClusterOptions.namespace(kubernetes, properties.get("spark.kubernetes.namespace")),
          spec.commandLine().getOut(), spec.commandLine().getErr()).act(actions.status, actions.kill, properties);
    }
    if (primaryResource == null) {
      throw new ConfigException("give the application's jar or .py file (PRIMARY_RESOURCE); see --help");
    }
    String namespace = ClusterOptions.namespace(kubernetes, properties.get("spark.kubernetes.namespace"));
    String sparkImage = properties.get("spark.kubernetes.container.image");
    if (sparkImage == null) {
      throw new ConfigException("set the Spark image: --image or --conf spark.kubernetes.container.image=...");
    }
    AppKind kind = AppKind.of(primaryResource);
    String mainClass = mainClass(kind);
    String appName = Optional.ofNullable(properties.get("spark.app.name"))
        .orElse(kind == AppKind.JAVA ? simpleName(mainClass) : Path.of(primaryResource).getFileName().toString());
    var jars = new ArrayList<>(SubmissionInputs.list(properties.get("spark.jars")));
    if (!staging.dryRun) {
      SubmissionInputs.resolvePackages(properties, environment, spec.commandLine().getErr()).forEach(jar -> jars.add(jar.toString()));
    } else if (properties.containsKey("spark.jars.packages")) {
      spec.commandLine().getErr().println("submit-client: --dry-run does not resolve --packages; their jars are not shown");
    }
    var dependencies = new SubmitRequest.Dependencies(jars, SubmissionInputs.list(properties.get("spark.files")),
        SubmissionInputs.list(properties.get("spark.submit.pyFiles")),
        SubmissionInputs.list(properties.get("spark.archives")));
    Map<String, String> confFiles =
        confDir.podFiles(Long.parseLong(properties.getOrDefault(SparkConfDir.MAX_SIZE, String.valueOf(SparkConfDir.DEFAULT_MAX_SIZE))),
            skipped -> spec.commandLine().getErr()
                .println("submit-client: not shipping " + skipped + " from the Spark configuration directory"));
    var templates = SubmissionInputs.templates(properties);
    var request = new SubmitRequest(appName, kind, mainClass, primaryResource, appArgs, dependencies, properties, confFiles, app.proxyUser,
        environment, templates, namespace, sparkImage, properties.get(INIT_IMAGE),
        Optional.ofNullable(properties.get(STAGING_URI)).map(URI::create),
        Optional.ofNullable(properties.get(STAGING_INTERNAL_URI)).map(URI::create));
    UploadCredentials upload = staging.dryRun ? UploadCredentials.none() : credentials.credentials(() -> kubernetes);
    var submission = new Submission(request, upload, spec.commandLine().getOut(), spec.commandLine().getErr(), actions.verbose);
    boolean follow = staging.waitForCompletion != null ? staging.waitForCompletion
        : Boolean.parseBoolean(properties.getOrDefault("spark.kubernetes.submission.waitAppCompletion", "true"));
    return staging.dryRun ? submission.dryRun() : submission.run(kubernetes, follow);
  }

  private String mainClass(AppKind kind) throws IOException {
    if (kind == AppKind.PYTHON) {
      if (app.mainClass != null) {
        throw new ConfigException("--class is for Java applications; a Python application runs with Spark's Python runner");
      }
      return AppKind.PYTHON_RUNNER;
    }
    if (app.mainClass != null) {
      return app.mainClass;
    }
    // As spark-submit does: the jar's manifest names it.
    DependencyRef primary = DependencyRef.parse(primaryResource);
    if (!(primary instanceof DependencyRef.Local local) || !Files.isRegularFile(local.path())) {
      throw new ConfigException("set --class: it can be read from the jar's manifest only when the jar is on this machine");
    }
    Path jar = local.path();
    try (InputStream in = Files.newInputStream(jar); var manifestReader = new JarInputStream(in)) {
      var manifest = manifestReader.getManifest();
      String main = manifest == null ? null : manifest.getMainAttributes().getValue("Main-Class");
      if (main == null) {
        throw new ConfigException(primaryResource + " names no Main-Class in its manifest; set --class");
      }
      return main;
    }
  }

  /**
   * spark-submit's precedence: the properties file (else spark-defaults.conf), then {@code --conf},
   * then the dedicated flags.
   */
  private Map<String, String> properties(SparkConfDir confDir) {
    var properties = confDir.properties(Optional.ofNullable(app.propertiesFile));
    properties.putAll(app.conf);
    put(properties, "spark.jars", deps.jars);
    put(properties, "spark.jars.packages", deps.packages);
    put(properties, "spark.jars.excludes", deps.excludePackages);
    put(properties, "spark.jars.repositories", deps.repositories);
    put(properties, "spark.files", deps.files);
    put(properties, "spark.submit.pyFiles", deps.pyFiles);
    put(properties, "spark.archives", deps.archives);
    put(properties, "spark.driver.memory", resources.driverMemory);
    put(properties, "spark.driver.cores", resources.driverCores);
    put(properties, "spark.driver.extraJavaOptions", resources.driverJavaOptions);
    put(properties, "spark.driver.extraLibraryPath", resources.driverLibraryPath);
    put(properties, "spark.driver.extraClassPath", resources.driverClassPath);
    put(properties, "spark.executor.memory", resources.executorMemory);
    put(properties, "spark.executor.cores", resources.executorCores);
    put(properties, "spark.executor.instances", resources.numExecutors);
    put(properties, "spark.kubernetes.container.image", staging.image);
    put(properties, STAGING_URI, staging.stagingServer == null ? null : staging.stagingServer.toString());
    put(properties, STAGING_INTERNAL_URI, staging.internalStagingServer == null ? null : staging.internalStagingServer.toString());
    put(properties, INIT_IMAGE, staging.initImage);
    put(properties, "spark.app.name", app.name);
    return properties;
  }

  private static void put(Map<String, String> properties, String key, String value) {
    if (value != null) {
      properties.put(key, value);
    }
  }

  private static void put(Map<String, String> properties, String key, List<String> values) {
    if (!values.isEmpty()) {
      properties.put(key, String.join(",", values));
    }
  }

  private static String simpleName(String className) {
    return className.substring(className.lastIndexOf('.') + 1);
  }
}
