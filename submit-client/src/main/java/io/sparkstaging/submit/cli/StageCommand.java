package io.sparkstaging.submit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkstaging.common.config.ConfigException;
import io.sparkstaging.common.kubernetes.KubernetesNames;
import io.sparkstaging.common.tls.TrustContexts;
import io.sparkstaging.common.tls.TrustOptions;
import io.sparkstaging.submit.stage.BundlePackager;
import io.sparkstaging.submit.stage.StagedBundle;
import io.sparkstaging.submit.stage.StagingClient;
import io.sparkstaging.submit.stage.UploadProgress;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code stage}: packs files into one bundle, uploads it, and prints its id and secret. */
@Command(name = "stage", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
    description = "Packs FILEs into one bundle, uploads it to the staging server, and prints the bundle's id and secret.")
final class StageCommand implements Callable<Integer> {
  enum Output {
    text,
    json
  }

  @Spec
  CommandSpec spec;

  @Option(names = "--staging-server", required = true, description = "Base URI of the staging server.")
  URI stagingServer;

  @Option(names = "--namespace", required = true, description = "Namespace of the pods that will use the bundle.")
  String namespace;

  @Option(names = "--label", paramLabel = "KEY=VALUE",
      description = "Label of the pods that will use the bundle (repeatable); the server deletes the bundle once no such pod is left.")
  Map<String, String> labels = new LinkedHashMap<>();

  @Option(names = "--gzip", description = "Compress the bundle (worth it for text files, not for jars, which are compressed already).")
  boolean gzip;

  @Mixin
  TrustOptions trust;

  @Mixin
  UploadCredentialOptions credentials;

  @Option(names = {"-o", "--output"}, defaultValue = "text", description = "text or json. Default: ${DEFAULT-VALUE}.")
  Output output;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Files to stage.")
  List<Path> files;

  @Override
  public Integer call() throws Exception {
    if (labels.isEmpty()) {
      throw new ConfigException("give at least one --label KEY=VALUE: the server deletes the bundle once no pod with those labels is left");
    }
    if (!KubernetesNames.isNamespace(namespace)) {
      throw new ConfigException("--namespace '" + namespace + "' is not a valid Kubernetes namespace name");
    }
    labels.forEach((key, value) -> {
      if (!KubernetesNames.isLabelKey(key) || !KubernetesNames.isLabelValue(value)) {
        throw new ConfigException("--label '" + key + "=" + value + "' is not a valid Kubernetes label");
      }
    });
    var bundle = new BundlePackager(files, gzip);
    PrintWriter out = spec.commandLine().getOut();
    StagedBundle staged;
    try (ProgressBar progress = progressBar(bundle.contentBytes())) {
      staged = new StagingClient(stagingServer, TrustContexts.from(trust.toTrustConfig()),
          credentials.credentials(() -> ClusterOptions.config(null, Map.of()))).stage(bundle, namespace, labels, progress(progress));
    }
    if (output == Output.json) {
      var sent = staged.transfer();
      out.println(new ObjectMapper().writeValueAsString(Map.of("resourceId", staged.resourceId(), "resourceSecret",
          staged.resourceSecret(), "size", staged.size(), "sha256", staged.sha256(), "files", sent.files(), "filesSent", sent.filesSent(),
          "bytesSent", sent.bytesSent())));
    } else {
      out.printf("staged %s%nresource id:     %s%nresource secret: %s%nsize:            %d bytes%nsha256:          %s%n",
          staged.transfer().describe(), staged.resourceId(), staged.resourceSecret(), staged.size(), staged.sha256());
    }
    out.flush();
    return 0;
  }

  /** Counts only what is sent: the bar's end is set once the server has said which files it lacks. */
  private static UploadProgress progress(ProgressBar bar) {
    if (bar == null) {
      return UploadProgress.NONE;
    }
    return new UploadProgress() {
      @Override
      public void willSend(long bytes) {
        bar.maxHint(bytes);
      }

      @Override
      public void sent(long bytes) {
        bar.stepBy(bytes);
      }
    };
  }

  /** A progress bar on stderr when a person is watching; none for scripts and CI. */
  private ProgressBar progressBar(long totalBytes) {
    if (System.console() == null || output == Output.json) {
      return null;
    }
    return new ProgressBarBuilder().setTaskName("Staging").setInitialMax(totalBytes).setUnit(" MiB", 1L << 20)
        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200).continuousUpdate().build();
  }
}
