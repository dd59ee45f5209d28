package io.sparkstaging.submit.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.sparkstaging.common.config.ConfigException;
import io.sparkstaging.common.files.FileTrees;
import io.sparkstaging.common.tls.TrustContexts;
import io.sparkstaging.submit.deps.DependencyPlan;
import io.sparkstaging.submit.deps.PluginJar;
import io.sparkstaging.submit.driver.AppKind;
import io.sparkstaging.submit.driver.SubmitRequest;
import io.sparkstaging.submit.frontend.SparkSubmitLine;
import io.sparkstaging.submit.frontend.StockSparkSubmit;
import io.sparkstaging.submit.stage.StagingClient;
import io.sparkstaging.submit.stage.StagingTrust;
import io.sparkstaging.submit.stage.UploadCredentials;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code spark-submit}: the user's own spark-submit, in front of which the local dependencies are staged. */
@Command(name = "spark-submit", usageHelpAutoWidth = true,
    customSynopsis = "spark-staging spark-submit [--spark-submit PATH] SPARK_SUBMIT_ARGS...",
    description = {"Runs your own spark-submit (Spark 3.5 or 4.0) with its command line as you wrote it, after staging the local "
        + "dependencies it names and giving the driver and executor pods the init-container that fetches them (merged into your pod "
        + "templates, if any). Everything else keeps Spark's own behaviour.",
        "It needs spark.kubernetes.resourceStagingServer.uri and spark.kubernetes.initcontainer.docker.image (as --conf or in the "
            + "properties file). A command line for another master, for client mode, --status, --kill, --help or --version, or one with "
            + "nothing to stage, runs unchanged."})
final class SparkSubmitCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--spark-submit", paramLabel = "PATH", description = "The spark-submit to run. Default: spark-submit on the PATH.")
  String sparkSubmit = "spark-submit";

  @Parameters(paramLabel = "SPARK_SUBMIT_ARGS", description = "spark-submit's arguments, as you would give them to it.")
  List<String> args = new ArrayList<>();

  private final Map<String, String> environment;

  SparkSubmitCommand(Map<String, String> environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() throws Exception {
    SparkSubmitLine line = SparkSubmitLine.parse(args);
    var properties = SparkConfDir.from(environment).properties(Optional.ofNullable(line.last("--properties-file")).map(Path::of));
    line.options().stream().filter(option -> option.name().equals("--conf")).forEach(option -> {
      int equals = option.value().indexOf('=');
      if (equals <= 0) {
        throw new ConfigException("--conf " + option.value() + ": expected KEY=VALUE");
      }
      properties.put(option.value().substring(0, equals), option.value().substring(equals + 1));
    });
    Map.of("--jars", "spark.jars", "--files", "spark.files", "--py-files", "spark.submit.pyFiles", "--archives", "spark.archives",
        "--packages", "spark.jars.packages", "--exclude-packages", "spark.jars.excludes", "--repositories", "spark.jars.repositories",
        "--name", "spark.app.name", "--master", "spark.master", "--deploy-mode", "spark.submit.deployMode").forEach((option, key) -> {
          if (line.has(option)) {
            properties.put(key, line.last(option));
          }
        });
    String master = properties.getOrDefault("spark.master", "");
    boolean cluster = "cluster".equals(properties.get("spark.submit.deployMode"));
    if (line.primary() == null || !master.startsWith("k8s://") || !cluster
        || List.of("--status", "--kill", "--help", "--version").stream().anyMatch(line::has)) {
      return unchanged();
    }
    AppKind kind = AppKind.of(line.primary());
    var jars = new ArrayList<>(SubmissionInputs.list(properties.get("spark.jars")));
    SubmissionInputs.resolvePackages(properties, environment, spec.commandLine().getErr()).forEach(jar -> jars.add(jar.toString()));
    var dependencies = new SubmitRequest.Dependencies(jars, SubmissionInputs.list(properties.get("spark.files")),
        SubmissionInputs.list(properties.get("spark.submit.pyFiles")), SubmissionInputs.list(properties.get("spark.archives")));
    Config kubernetes = ClusterOptions.config(master, properties);
    String namespace = ClusterOptions.namespace(kubernetes, properties.get("spark.kubernetes.namespace"));
    String appName = properties.getOrDefault("spark.app.name", Path.of(line.primary()).getFileName().toString());
    var request = new SubmitRequest(appName, kind, Optional.ofNullable(line.last("--class")).orElse(AppKind.PYTHON_RUNNER), line.primary(),
        line.appArgs(), dependencies, properties, Map.of(), line.last("--proxy-user"), environment, SubmissionInputs.templates(properties),
        namespace, properties.getOrDefault("spark.kubernetes.container.image", ""), properties.get(SubmitCommand.INIT_IMAGE),
        Optional.ofNullable(properties.get(SubmitCommand.STAGING_URI)).map(URI::create),
        Optional.ofNullable(properties.get(SubmitCommand.STAGING_INTERNAL_URI)).map(URI::create));
    DependencyPlan plan = DependencyPlan.of(request, PluginJar.path());
    if (!plan.needsInitContainer()) {
      return unchanged();
    }
    var frontEnd = new StockSparkSubmit(line, request, plan, List.of(sparkSubmit), spec.commandLine().getErr());
    Path workDir = Files.createTempDirectory("spark-staging-submit");
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(kubernetes).build()) {
      var staging = new StagingClient(request.stagingServer().orElseThrow(), TrustContexts.from(StagingTrust.forClient(properties)),
          UploadCredentials.of(null, null, false, () -> kubernetes));
      return frontEnd.run(client, staging, workDir);
    } finally {
      FileTrees.deleteRecursively(workDir);
    }
  }

  private int unchanged() throws Exception {
    var command = new ArrayList<>(List.of(sparkSubmit));
    command.addAll(args);
    return new ProcessBuilder(command).inheritIO().start().waitFor();
  }
}
