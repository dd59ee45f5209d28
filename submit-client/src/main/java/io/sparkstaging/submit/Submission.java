package io.sparkstaging.submit;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.sparkstaging.common.config.ConfigException;
import io.sparkstaging.common.tls.TrustContexts;
import io.sparkstaging.common.units.DurationText;
import io.sparkstaging.submit.apply.ObjectApplier;
import io.sparkstaging.submit.apply.SubmitFailure;
import io.sparkstaging.submit.deps.DependencyPlan;
import io.sparkstaging.submit.deps.PluginJar;
import io.sparkstaging.submit.driver.AppIdentity;
import io.sparkstaging.submit.driver.DriverSpec;
import io.sparkstaging.submit.driver.DriverSpecBuilder;
import io.sparkstaging.submit.driver.Redaction;
import io.sparkstaging.submit.driver.StagedDependencies;
import io.sparkstaging.submit.driver.SubmitRequest;
import io.sparkstaging.submit.driver.UnsupportedKeys;
import io.sparkstaging.submit.pod.InitContainerSpec;
import io.sparkstaging.submit.stage.BundlePackager;
import io.sparkstaging.submit.stage.StageFailure;
import io.sparkstaging.submit.stage.StagedBundle;
import io.sparkstaging.submit.stage.StagingClient;
import io.sparkstaging.submit.stage.StagingTrust;
import io.sparkstaging.submit.stage.UploadCredentials;
import io.sparkstaging.submit.stage.UploadProgress;
import io.sparkstaging.submit.watch.PodPhaseWatcher;
import io.sparkstaging.submit.watch.WatchFailure;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One submission: stage the local dependencies, build the driver spec, create it, and undo everything if a step fails. */
public final class Submission {
  private final SubmitRequest request;
  private final PrintWriter out;
  private final PrintWriter err;
  private final AppIdentity identity;
  private final DependencyPlan plan;
  private final UploadCredentials uploadCredentials;
  private final boolean verbose;

  /** @param verbose print the driver's Spark properties (secrets redacted) and what is staged, on {@code err} */
  public Submission(SubmitRequest request, UploadCredentials uploadCredentials, PrintWriter out, PrintWriter err, boolean verbose) {
    this.request = request;
    this.verbose = verbose;
    this.uploadCredentials = uploadCredentials;
    this.out = out;
    this.err = err;
    AppIdentity created = AppIdentity.create(request.appName(), new SecureRandom(), Clock.systemUTC());
    String podName = request.conf().get("spark.kubernetes.driver.pod.name");
    this.identity = podName == null ? created : created.withDriverPodName(podName);
    UnsupportedKeys.check(request.conf());
    this.plan = DependencyPlan.of(request, PluginJar.path());
    if (plan.stagesAnything() && request.stagingServer().isEmpty()) {
      throw new ConfigException(
          "local dependencies need a staging server: set --staging-server or spark.kubernetes.resourceStagingServer.uri");
    }
    // Every setting the objects are built from is checked now, before anything is staged.
    DriverSpecBuilder.build(request, identity, plan, placeholders(), podTrust(), sparkUser());
    reportInterval();
  }

  private StagedDependencies placeholders() {
    return new StagedDependencies(placeholder(plan.jarsToStage().isEmpty(), "jars"), placeholder(plan.filesToStage().isEmpty(), "files"));
  }

  /** Prints every object as YAML, with placeholders where staging would fill in ids; contacts nothing and prints no secret. */
  public int dryRun() {
    DriverSpec spec = DriverSpecBuilder.build(request, identity, plan, placeholders(), podTrust(), sparkUser());
    describe(spec);
    var serialization = new KubernetesSerialization();
    out.print(serialization.asYaml(spec.pod()));
    for (HasMetadata resource : spec.resources()) {
      HasMetadata shown = resource instanceof Secret secret ? withoutSecretValues(secret) : serialization.clone(resource);
      shown.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Pod")
          .withName(identity.driverPodName()).withUid("<driver pod uid>").withController(true).build()));
      out.print(serialization.asYaml(shown));
    }
    out.flush();
    return 0;
  }

  private static Optional<StagedBundle> placeholder(boolean nothingToStage, String kind) {
    return nothingToStage ? Optional.empty()
        : Optional.of(new StagedBundle("<" + kind + " bundle id>", "<" + kind + " bundle secret>", 0, ""));
  }

  private static Secret withoutSecretValues(Secret secret) {
    Map<String, String> placeholders = new LinkedHashMap<>();
    secret.getData().keySet().forEach(key -> placeholders.put(key, "<set when the bundle is staged>"));
    return new SecretBuilder().withMetadata(secret.getMetadata()).withStringData(placeholders).build();
  }

  /** Stages, creates, and (unless told not to) follows the driver; returns the exit code. */
  public int run(Config kubernetes, boolean follow) throws StageFailure, SubmitFailure, WatchFailure, InterruptedException {
    var tls = TrustContexts.from(StagingTrust.forClient(request.conf()));
    var staging = request.stagingServer().map(server -> new StagingClient(server, tls, uploadCredentials));
    List<StagedBundle> stagedBundles = new ArrayList<>();
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(kubernetes).build()) {
      StagedDependencies staged = stage(staging, stagedBundles);
      DriverSpec spec = DriverSpecBuilder.build(request, identity, plan, staged, podTrust(), sparkUser());
      describe(spec);
      Pod pod;
      try {
        pod = new ObjectApplier(client, err).apply(spec);
      } catch (SubmitFailure e) {
        deleteBundles(staging, stagedBundles);
        throw e;
      }
      String namespace = pod.getMetadata().getNamespace();
      String name = pod.getMetadata().getName();
      out.printf("submitted %s: driver pod %s/%s%n", identity.appId(), namespace, name);
      out.flush();
      err.printf("submit-client: Deployed Spark application %s with application ID %s and submission ID %s:%s into Kubernetes%n",
          request.appName(), identity.appId(), namespace, name);
      err.flush();
      if (!follow) {
        return 0;
      }
      // Ctrl-C stops the waiting, never the application.
      Thread notice = new Thread(() -> err.println("submit-client: stopped waiting; " + name + " keeps running"), "stop-waiting");
      Runtime.getRuntime().addShutdownHook(notice);
      try {
        int exitCode = new PodPhaseWatcher(client, out, err).follow(namespace, name, spec.sparkContainer(), identity.appId(),
            reportInterval());
        err.printf("submit-client: Application %s with application ID %s and submission ID %s:%s finished%n", request.appName(),
            identity.appId(), namespace, name);
        err.flush();
        out.printf("driver pod %s finished with exit code %d%n", name, exitCode);
        return exitCode;
      } finally {
        Runtime.getRuntime().removeShutdownHook(notice);
      }
    }
  }

  private StagedDependencies stage(Optional<StagingClient> staging, List<StagedBundle> stagedBundles) throws StageFailure {
    Map<String, String> owner = Map.of("spark-app-selector", identity.appId(), "spark-role", "driver");
    try {
      Optional<StagedBundle> stagedJars = stage(staging, plan.jarsToStage(), plan.jarNames(), "jars", owner);
      stagedJars.ifPresent(stagedBundles::add);
      Optional<StagedBundle> stagedFiles = stage(staging, plan.filesToStage(), plan.fileNames(), "files", owner);
      stagedFiles.ifPresent(stagedBundles::add);
      return new StagedDependencies(stagedJars, stagedFiles);
    } catch (StageFailure e) {
      deleteBundles(staging, stagedBundles);
      throw e;
    }
  }

  private Optional<StagedBundle> stage(Optional<StagingClient> staging, List<Path> files, List<String> names, String kind,
      Map<String, String> owner) throws StageFailure {
    if (files.isEmpty()) {
      return Optional.empty();
    }
    StagedBundle staged =
        staging.orElseThrow().stage(new BundlePackager(files, names, false), request.namespace(), owner, UploadProgress.NONE);
    err.printf("submit-client: staged %s, %s%n", kind, staged.transfer().describe());
    return Optional.of(staged);
  }

  private void deleteBundles(Optional<StagingClient> staging, List<StagedBundle> bundles) {
    for (StagedBundle bundle : bundles) {
      try {
        staging.orElseThrow().delete(bundle);
      } catch (StageFailure e) {
        err.println("submit-client: " + e.getMessage() + " (the server's expiry will remove it)");
      }
    }
  }

  /** {@code spark.kubernetes.report.interval}: Spark's time syntax, a bare number being milliseconds; 1 s by default. */
  private Duration reportInterval() {
    String text = request.conf("spark.kubernetes.report.interval", "1s").strip();
    try {
      Duration interval = text.chars().allMatch(Character::isDigit) ? Duration.ofMillis(Long.parseLong(text)) : DurationText.parse(text);
      if (interval.isZero() || interval.isNegative()) {
        throw new IllegalArgumentException("not positive");
      }
      return interval;
    } catch (IllegalArgumentException e) {
      throw new ConfigException("spark.kubernetes.report.interval=" + text + ": expected a positive time such as 500ms or 5s");
    }
  }

  private void describe(DriverSpec spec) {
    if (!verbose) {
      return;
    }
    err.println("submit-client: staging " + plan.jarsToStage().size() + " jar(s) and " + plan.filesToStage().size() + " other file(s)");
    err.println("Spark properties for the driver, secrets redacted:");
    Redaction.of(request.conf()).apply(spec.sparkProperties()).forEach((key, value) -> err.println("(" + key + "," + value + ")"));
    err.flush();
  }

  /** Reads a submitter-local trust file for the pods now, so that the steps that ship it stay free of I/O. */
  private StagingTrust.ForPods podTrust() {
    return StagingTrust.forPods(request.conf(), InitContainerSpec.SECRET_DIR);
  }

  private static String sparkUser() {
    return Optional.ofNullable(System.getenv("SPARK_USER")).orElse(System.getProperty("user.name"));
  }
}
