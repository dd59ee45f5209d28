package io.sparkstaging.submit.cli;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code submit}'s options, in spark-submit's groups; each group is one section of {@code --help}. */
final class SubmitOptions {
  private SubmitOptions() {}

  static final class Application {
    @Option(names = "--master", paramLabel = "k8s://URL",
        description = "The API server, k8s://https://HOST:PORT. Default: the kubeconfig's.")
    String master;

    @Option(names = "--deploy-mode", paramLabel = "MODE", defaultValue = "cluster",
        description = "cluster, the only mode here: the driver runs in a pod. Default: ${DEFAULT-VALUE}.")
    String deployMode;

    @Option(names = "--class", paramLabel = "CLASS",
        description = "The application's main class (Java/Scala). Default: the jar's Main-Class.")
    String mainClass;

    @Option(names = "--name", paramLabel = "NAME",
        description = "The application's name. Default: the main class's simple name, or the Python file's name.")
    String name;

    @Option(names = {"-c", "--conf"}, paramLabel = "PROP=VALUE", description = "A Spark property; repeatable.")
    Map<String, String> conf = new LinkedHashMap<>();

    @Option(names = "--properties-file", paramLabel = "FILE",
        description = "Spark properties to load. Default: spark-defaults.conf in $SPARK_CONF_DIR, else $SPARK_HOME/conf.")
    Path propertiesFile;

    @Option(names = "--proxy-user", paramLabel = "NAME",
        description = "The user the driver runs the application as (needs Hadoop impersonation rights).")
    String proxyUser;
  }

  static final class Dependencies {
    @Option(names = "--jars", split = ",", paramLabel = "JARS",
        description = "Jars for the driver's and executors' classpaths: local paths, globs or directories (staged), http(s) URIs (fetched in the pods), local:// and other schemes (left to Spark).")
    List<String> jars = new ArrayList<>();

    @Option(names = "--packages", split = ",", paramLabel = "COORDINATES",
        description = "Maven coordinates, groupId:artifactId:version, resolved with their dependencies on this machine and staged like --jars.")
    List<String> packages = new ArrayList<>();

    @Option(names = "--exclude-packages", split = ",", paramLabel = "GROUP:ARTIFACT",
        description = "Dependencies to leave out when resolving --packages.")
    List<String> excludePackages = new ArrayList<>();

    @Option(names = "--repositories", split = ",", paramLabel = "URLS", description = "More Maven repositories to search for --packages.")
    List<String> repositories = new ArrayList<>();

    @Option(names = "--py-files", split = ",", paramLabel = "PY_FILES",
        description = ".py, .zip or .egg files for the Python path of the driver and of the executors' Python workers.")
    List<String> pyFiles = new ArrayList<>();

    @Option(names = "--files", split = ",", paramLabel = "FILES",
        description = "Files for the working directory of the driver and of every executor; SparkFiles.get(name) finds them.")
    List<String> files = new ArrayList<>();

    @Option(names = "--archives", split = ",", paramLabel = "ARCHIVES",
        description = "Archives (.zip, .tar, .tar.gz, .tgz, .jar) unpacked into the working directory of the driver and of every executor, under #ALIAS if given.")
    List<String> archives = new ArrayList<>();
  }

  static final class Resources {
    @Option(names = "--driver-memory", paramLabel = "MEM", description = "The driver's heap, e.g. 2g. Default: 1g.")
    String driverMemory;

    @Option(names = "--driver-cores", paramLabel = "NUM", description = "The driver's cores. Default: 1.")
    String driverCores;

    @Option(names = "--driver-java-options", paramLabel = "OPTIONS",
        description = "JVM options for the driver (spark.driver.extraJavaOptions).")
    String driverJavaOptions;

    @Option(names = "--driver-library-path", paramLabel = "PATH",
        description = "Native library path for the driver, in the pod (spark.driver.extraLibraryPath).")
    String driverLibraryPath;

    @Option(names = "--driver-class-path", paramLabel = "PATH",
        description = "Classpath entries for the driver, in the pod (spark.driver.extraClassPath).")
    String driverClassPath;

    @Option(names = "--executor-memory", paramLabel = "MEM", description = "Each executor's heap. Default: 1g.")
    String executorMemory;

    @Option(names = "--executor-cores", paramLabel = "NUM", description = "Each executor's cores. Default: 1.")
    String executorCores;

    @Option(names = "--num-executors", paramLabel = "NUM", description = "How many executors to start. Default: 2.")
    String numExecutors;
  }

  static final class Staging {
    @Option(names = "--image", paramLabel = "IMAGE", description = "The Spark image (spark.kubernetes.container.image).")
    String image;

    @Option(names = "--init-image", paramLabel = "IMAGE", description = "The init-container image (" + SubmitCommand.INIT_IMAGE + "). "
        + "Default: this version's, as --version shows.")
    String initImage;

    @Option(names = "--staging-server", paramLabel = "URI",
        description = "The staging server, as this machine reaches it (" + SubmitCommand.STAGING_URI + ").")
    URI stagingServer;

    @Option(names = "--staging-server-internal", paramLabel = "URI",
        description = "The staging server, as the pods reach it (" + SubmitCommand.STAGING_INTERNAL_URI + "). Default: --staging-server.")
    URI internalStagingServer;

    @Option(names = "--dry-run", description = "Print the objects it would create, as YAML; stage nothing and contact nothing.")
    boolean dryRun;

    @Option(names = "--wait", negatable = true,
        description = "Follow the driver until it ends and exit with its exit code (default, or spark.kubernetes.submission.waitAppCompletion); "
            + "--no-wait returns once it is created.")
    Boolean waitForCompletion;
  }

  static final class Actions {
    @Option(names = "--status", paramLabel = "NAMESPACE:DRIVER_POD",
        description = "Print the state of the driver pods matching NAMESPACE:POD (POD may be a glob; NAMESPACE defaults to spark.kubernetes.namespace).")
    String status;

    @Option(names = "--kill", paramLabel = "NAMESPACE:DRIVER_POD",
        description = "Delete the driver pods matching NAMESPACE:POD, and so their applications.")
    String kill;

    @Option(names = {"-v", "--verbose"},
        description = "Print the Spark properties the driver will get (secrets redacted) and what is staged.")
    boolean verbose;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--version", versionHelp = true, description = "Print the version and exit.")
    boolean version;
  }

  /** spark-submit options with no meaning here: refused, never ignored. */
  static final class Refused {
    @Option(names = "--supervise",
        description = "Refused: Kubernetes restarts nothing for a Spark driver; Spark standalone and Mesos only.")
    boolean supervise;

    @Option(names = "--total-executor-cores", paramLabel = "NUM",
        description = "Refused: Spark standalone and Mesos only; use --num-executors and --executor-cores.")
    String totalExecutorCores;

    @Option(names = "--principal", paramLabel = "PRINCIPAL",
        description = "Refused: this client does not log in to Kerberos or stage keytabs.")
    String principal;

    @Option(names = "--keytab", paramLabel = "KEYTAB", description = "Refused, as --principal.")
    String keytab;

    @Option(names = "--queue", paramLabel = "QUEUE", description = "Refused: YARN only.")
    String queue;

    /** The first refused option given, with why; null if none. */
    String firstGiven() {
      if (supervise) {
        return "--supervise: Kubernetes restarts nothing for a Spark driver; it is for Spark standalone and Mesos";
      }
      if (totalExecutorCores != null) {
        return "--total-executor-cores is for Spark standalone and Mesos; use --num-executors and --executor-cores";
      }
      if (principal != null || keytab != null) {
        return "--principal/--keytab: this client does not log in to Kerberos or stage keytabs";
      }
      if (queue != null) {
        return "--queue is for YARN";
      }
      return null;
    }
  }
}
