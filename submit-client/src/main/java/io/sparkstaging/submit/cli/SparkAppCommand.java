package io.sparkstaging.submit.cli;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.sparkstaging.common.config.ConfigException;
import io.sparkstaging.common.tls.TrustContexts;
import io.sparkstaging.submit.deps.DependencyPlan;
import io.sparkstaging.submit.deps.PluginJar;
import io.sparkstaging.submit.driver.SubmitRequest;
import io.sparkstaging.submit.operator.AppDescription;
import io.sparkstaging.submit.operator.OperatorFrontEnd;
import io.sparkstaging.submit.operator.SparkAppManifest;
import io.sparkstaging.submit.stage.StagingClient;
import io.sparkstaging.submit.stage.StagingTrust;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sparkapp}: a Spark operator's SparkApplication, its local dependencies staged. */
@Command(name = "sparkapp", usageHelpAutoWidth = true, sortOptions = false,
    description = {"Stages the local dependencies a SparkApplication names and writes it out with them rewritten to where the "
        + "init-container puts them in the driver and executor pods, its pod templates carrying the init-container (merged into yours), "
        + "after the init-container's Secret and ConfigMap: one YAML stream for kubectl apply -f -. With --create, creates them instead, "
        + "the SparkApplication owning the other two.",
        "Reads kubeflow spark-operator's sparkoperator.k8s.io/v1beta2 (operator v2.1 or later) and the Apache Spark Kubernetes "
            + "Operator's spark.apache.org/v1 (1.0 or later). A local dependency is a plain path or a file: URI, as with spark-submit.",
        "The staging settings (spark.kubernetes.resourceStagingServer.uri, spark.kubernetes.initcontainer.docker.image, …) are read "
            + "from $SPARK_CONF_DIR/spark-defaults.conf, then the manifest's sparkConf, then --conf; only the manifest's own are written "
            + "back."})
final class SparkAppCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "MANIFEST", description = "The SparkApplication, YAML or JSON; - reads standard input.")
  String manifestFile;

  @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "A staging setting for this run; not written into the manifest.")
  Map<String, String> conf = new LinkedHashMap<>();

  @Option(names = "--master", paramLabel = "k8s://URL", description = "The API server for --create. Default: the kubeconfig's.")
  String master;

  @Option(names = {"-n", "--namespace"}, paramLabel = "NAMESPACE",
      description = "The namespace, if the manifest names none. Default: the kubeconfig context's, else default.")
  String namespace;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the YAML stream here rather than to standard output.")
  Path output;

  @Option(names = "--create", description = "Create the objects in the cluster (as kubectl create -f) rather than write them out.")
  boolean create;

  @Mixin
  UploadCredentialOptions credentials;

  private final Map<String, String> environment;

  SparkAppCommand(Map<String, String> environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() throws Exception {
    if (create && output != null) {
      throw new ConfigException("--create and --output: choose one");
    }
    String source = "-".equals(manifestFile) ? "standard input" : manifestFile;
    SparkAppManifest manifest = SparkAppManifest.parse(read(), source);
    AppDescription app = manifest.describe();
    var properties = SparkConfDir.from(environment).properties(Optional.empty());
    properties.putAll(app.conf());
    properties.putAll(conf);
    Config kubernetes = ClusterOptions.config(master, properties);
    String targetNamespace = targetNamespace(manifest, kubernetes);
    var jars = new ArrayList<>(app.dependencies().jars());
    SubmissionInputs.resolvePackages(properties, environment, spec.commandLine().getErr()).forEach(jar -> jars.add(jar.toString()));
    var dependencies = new SubmitRequest.Dependencies(jars, app.dependencies().files(), app.dependencies().pyFiles(),
        app.dependencies().archives());
    String appName = manifest.name().isEmpty() ? "sparkapp" : manifest.name();
    var request = new SubmitRequest(appName, app.kind(), app.mainClass(), app.primaryResource(), app.appArgs(), dependencies, properties,
        Map.of(), app.proxyUser().orElse(null), environment, app.templates(), targetNamespace,
        properties.getOrDefault("spark.kubernetes.container.image", ""), properties.get(SubmitCommand.INIT_IMAGE),
        Optional.ofNullable(properties.get(SubmitCommand.STAGING_URI)).map(URI::create),
        Optional.ofNullable(properties.get(SubmitCommand.STAGING_INTERNAL_URI)).map(URI::create));
    DependencyPlan plan = DependencyPlan.of(request, PluginJar.path());
    if (!plan.stagesAnything()) {
      throw new ConfigException(source + ": it names no local dependency; give it to the operator as it is");
    }
    if (request.stagingServer().isEmpty()) {
      throw new ConfigException("local dependencies need a staging server: set --conf " + SubmitCommand.STAGING_URI + "=...");
    }
    var frontEnd = new OperatorFrontEnd(manifest, request, plan, spec.commandLine().getErr());
    var staging = new StagingClient(request.stagingServer().orElseThrow(), TrustContexts.from(StagingTrust.forClient(properties)),
        credentials.credentials(() -> kubernetes));
    OperatorFrontEnd.Staged staged = frontEnd.stage(staging);
    if (create) {
      try (KubernetesClient client = new KubernetesClientBuilder().withConfig(kubernetes).build()) {
        GenericKubernetesResource created = frontEnd.create(client, staging, staged);
        spec.commandLine().getOut()
            .println("sparkapplication/" + created.getMetadata().getName() + " created in namespace " + targetNamespace);
      }
    } else if (output != null) {
      writeAtomically(output, staged.toYaml());
    } else {
      spec.commandLine().getOut().print(staged.toYaml());
      spec.commandLine().getOut().flush();
    }
    return 0;
  }

  private String read() throws IOException {
    if ("-".equals(manifestFile)) {
      return new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try {
      return Files.readString(Path.of(manifestFile));
    } catch (IOException e) {
      throw new ConfigException(manifestFile + ": cannot read it: " + e.getMessage(), e);
    }
  }

  /** A reader of {@code output} sees the old file or the whole new one, never a part. */
  private static void writeAtomically(Path file, String text) throws IOException {
    Path absolute = file.toAbsolutePath();
    Path temporary = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".tmp");
    try {
      Files.writeString(temporary, text);
      Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /** As kubectl: the manifest's namespace, which -n may repeat but not contradict. */
  private String targetNamespace(SparkAppManifest manifest, Config kubernetes) {
    if (manifest.namespace().isPresent() && namespace != null && !namespace.equals(manifest.namespace().get())) {
      throw new ConfigException(
          "--namespace " + namespace + " does not match the manifest's metadata.namespace " + manifest.namespace().get());
    }
    return manifest.namespace().orElseGet(() -> ClusterOptions.namespace(kubernetes, namespace));
  }
}
