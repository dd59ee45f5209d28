package io.sparkstaging.submit.frontend;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.sparkstaging.common.config.ConfigException;
import io.sparkstaging.submit.apply.ObjectApplier;
import io.sparkstaging.submit.deps.DependencyPlan;
import io.sparkstaging.submit.driver.AppIdentity;
import io.sparkstaging.submit.driver.SubmitRequest;
import io.sparkstaging.submit.stage.StageFailure;
import io.sparkstaging.submit.stage.StagedBundle;
import io.sparkstaging.submit.stage.StagingClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Stock spark-submit as a front end: stages the local dependencies of a spark-submit command
 * line, creates the init-container's Secret and ConfigMap, writes driver and executor pod
 * templates carrying the init-container (the user's own templates merged in), and runs the user's
 * spark-submit with the dependency options rewritten to where the init-container puts them, and
 * everything else as given. Once Spark's client has created the driver pod, it owns the Secret and
 * the ConfigMap, and the staged bundles belong to it, so all go when it goes.
 */
public final class StockSparkSubmit {
  /** The label that ties the objects created here to the driver pod spark-submit creates. */
  public static final String SUBMISSION_LABEL = "spark-staging-submission";
  private static final List<String> DEPENDENCY_OPTIONS =
      List.of("--jars", "--files", "--py-files", "--archives", "--packages", "--exclude-packages", "--repositories");

  private final SparkSubmitLine line;
  private final SubmitRequest request;
  private final DependencyPlan plan;
  private final List<String> sparkSubmit;
  private final PrintWriter err;
  private final AtomicReference<Process> child = new AtomicReference<>();

  /** @param sparkSubmit the command that runs the user's spark-submit */
  public StockSparkSubmit(SparkSubmitLine line, SubmitRequest request, DependencyPlan plan, List<String> sparkSubmit, PrintWriter err) {
    this.line = line;
    this.request = request;
    this.plan = plan;
    this.sparkSubmit = List.copyOf(sparkSubmit);
    this.err = err;
    if (plan.stagesAnything() && request.stagingServer().isEmpty()) {
      throw new ConfigException("local dependencies need a staging server: set --conf spark.kubernetes.resourceStagingServer.uri=...");
    }
  }

  /** @return spark-submit's own exit code */
  public int run(KubernetesClient client, StagingClient staging, Path workDir) throws StageFailure, IOException, InterruptedException {
    AppIdentity names = AppIdentity.create(request.appName(), new java.security.SecureRandom(), java.time.Clock.systemUTC());
    String submission = names.uniqueId();
    Map<String, String> owner = Map.of(SUBMISSION_LABEL, submission, "spark-role", "driver");
    var bundles = new ArrayList<StagedBundle>();
    List<HasMetadata> created = new ArrayList<>();
    AtomicReference<Pod> driver = new AtomicReference<>();
    var settled = new AtomicBoolean();
    Runnable settle = () -> {
      if (settled.compareAndSet(false, true)) {
        settle(client, staging, submission, created, bundles, driver);
      }
    };
    // Ctrl-C or a kill: spark-submit is stopped with this JVM, and what was made for it is settled as at a normal end.
    Thread onShutdown = new Thread(() -> {
      Optional.ofNullable(child.get()).ifPresent(Process::destroy);
      settle.run();
    }, "settle-staging-objects");
    Runtime.getRuntime().addShutdownHook(onShutdown);
    try {
      StagedTemplates templates = StagedTemplates.stage(request, plan, names, staging, owner, bundles);
      Path driverFile = write(workDir.resolve("driver-pod-template.yaml"), templates.driver().pod());
      Path executorFile = write(workDir.resolve("executor-pod-template.yaml"), templates.executor().pod());
      for (HasMetadata resource : templates.resources()) {
        resource.getMetadata().getLabels().put(SUBMISSION_LABEL, submission);
        created.add(client.resource(resource).inNamespace(request.namespace()).create());
      }
      Thread owning = ownWhenTheDriverAppears(client, submission, created, driver);
      int exitCode = spawn(rewritten(submission, templates.driver().sparkContainer(), driverFile, templates.executor().sparkContainer(),
          executorFile));
      owning.join(5_000);
      owning.interrupt();
      return exitCode;
    } finally {
      settle.run();
      try {
        Runtime.getRuntime().removeShutdownHook(onShutdown);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running or has run: it settled already.
      }
    }
  }

  /**
   * The driver pod spark-submit created, if the watch has not seen it yet (spark-submit may return
   * first), becomes the owner; if there is none, nothing will ever own what was made for it, so it
   * is deleted.
   */
  private void settle(KubernetesClient client, StagingClient staging, String submission, List<HasMetadata> created,
      List<StagedBundle> bundles,
      AtomicReference<Pod> driver) {
    if (driver.get() == null) {
      try {
        client.pods().inNamespace(request.namespace()).withLabel(SUBMISSION_LABEL, submission).list().getItems().stream().findFirst()
            .ifPresent(pod -> own(client, pod, created, driver));
      } catch (KubernetesClientException e) {
        err.println("submit-client: could not look for the driver pod: " + e.getMessage());
      }
    }
    if (driver.get() == null) {
      created.forEach(resource -> Cleanup.delete(client, request.namespace(), resource, err));
      bundles.forEach(bundle -> Cleanup.delete(staging, bundle, err));
    }
  }

  private static Path write(Path file, Pod pod) throws IOException {
    return Files.writeString(file, new KubernetesSerialization().asYaml(pod));
  }

  /** The user's command line with the dependency options replaced by the staged places, and the templates and label added. */
  List<String> rewritten(String submission, String driverContainer, Path driverTemplate, String executorContainer, Path executorTemplate) {
    var options = new ArrayList<SparkSubmitLine.Option>();
    line.options().stream().filter(option -> !DEPENDENCY_OPTIONS.contains(option.name())).forEach(options::add);
    // Later --conf values win in spark-submit: these replace any in the command line or the properties file. The packages
    // were resolved and staged here; the rest of Ivy's settings stay, harmless without packages (an empty
    // spark.jars.ivySettings would be read as a file name).
    if (request.conf().containsKey("spark.jars.packages")) {
      conf(options, "spark.jars.packages", "");
    }
    plan.podProperties().forEach((key, value) -> conf(options, key, value));
    conf(options, "spark.kubernetes.driver.podTemplateFile", driverTemplate.toString());
    conf(options, "spark.kubernetes.driver.podTemplateContainerName", driverContainer);
    conf(options, "spark.kubernetes.executor.podTemplateFile", executorTemplate.toString());
    conf(options, "spark.kubernetes.executor.podTemplateContainerName", executorContainer);
    conf(options, "spark.kubernetes.driver.label." + SUBMISSION_LABEL, submission);
    if (!request.conf().containsKey("spark.kubernetes.jars.avoidDownloadSchemes")) {
      conf(options, "spark.kubernetes.jars.avoidDownloadSchemes", "local");
    }
    var command = new ArrayList<>(sparkSubmit);
    command.addAll(new SparkSubmitLine(options, plan.primaryInPod(), line.appArgs()).toArgs());
    return command;
  }

  private static void conf(List<SparkSubmitLine.Option> options, String key, String value) {
    options.add(new SparkSubmitLine.Option("--conf", key + "=" + value));
  }

  private int spawn(List<String> command) throws IOException, InterruptedException {
    err.println("submit-client: running " + String.join(" ", command.subList(0, 1)) + " with the staged dependencies");
    err.flush();
    Process process = new ProcessBuilder(command).inheritIO().start();
    child.set(process);
    try {
      return process.waitFor();
    } finally {
      process.destroy();
    }
  }

  /** Gives the driver pod, once spark-submit has created it, ownership of what was created for it. */
  private Thread ownWhenTheDriverAppears(KubernetesClient client, String submission, List<HasMetadata> created,
      AtomicReference<Pod> driver) {
    Thread thread = new Thread(() -> {
      try {
        Pod pod = client.pods().inNamespace(request.namespace()).withLabel(SUBMISSION_LABEL, submission)
            .informOnCondition(pods -> !pods.isEmpty())
            .get().get(0);
        own(client, pod, created, driver);
      } catch (InterruptedException stopped) {
        Thread.currentThread().interrupt();
      } catch (java.util.concurrent.ExecutionException e) {
        err.println("submit-client: lost sight of the driver pod: " + e.getCause());
      }
    }, "own-staging-objects");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private synchronized void own(KubernetesClient client, Pod pod, List<HasMetadata> created, AtomicReference<Pod> driver) {
    if (driver.get() != null) {
      return;
    }
    driver.set(pod);
    var ownerReference = ObjectApplier.ownedBy(pod);
    for (HasMetadata resource : created) {
      try {
        client.resource(resource).inNamespace(request.namespace()).edit(object -> {
          object.getMetadata().setOwnerReferences(List.of(ownerReference));
          return object;
        });
      } catch (KubernetesClientException e) {
        err.println("submit-client: could not make driver pod " + pod.getMetadata().getName() + " the owner of " + resource.getKind() + " "
            + resource.getMetadata().getName() + ": " + e.getMessage());
      }
    }
  }
}
