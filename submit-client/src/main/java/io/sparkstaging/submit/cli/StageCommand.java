package io.sparkstaging.submit.cli;

import io.sparkstaging.common.config.ConfigException;
import io.sparkstaging.common.config.HelpOptions;
import io.sparkstaging.common.kubernetes.KubernetesNames;
import io.sparkstaging.common.tls.TrustContexts;
import io.sparkstaging.common.tls.TrustOptions;
import io.sparkstaging.submit.stage.BundlePackager;
import io.sparkstaging.submit.stage.ClientJson;
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
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * {@code stage}: packs files into one bundle, uploads it, and prints its id and secret.
 *
 * <p>Built with picocli's programmatic API rather than read from annotations, as the
 * init-container's options are: {@code stage} is the command a build or a notebook runs again and
 * again, and reading annotations costs its every start the proxy classes and reflection that no
 * class archive on JDK 17 holds (docs/benchmarks.md, scenario 6).
 */
final class StageCommand implements Callable<Integer> {
  enum Output {
    text,
    json
  }

  private static final String SERVER = "--staging-server";
  private static final String NAMESPACE = "--namespace";
  private static final String LABEL = "--label";
  private static final String GZIP = "--gzip";
  private static final String OUTPUT = "--output";

  private CommandSpec spec;

  private StageCommand() {}

  /** The command, unparsed; a parse then runs it. */
  static CommandSpec spec() {
    var command = new StageCommand();
    command.spec = CommandSpec.wrapWithoutInspection(command).name("stage");
    command.spec.usageMessage().sortOptions(false).autoWidth(true)
        .description("Packs FILEs into one bundle, uploads it to the staging server, and prints the bundle's id and secret.");
    command.spec.addOption(
        OptionSpec.builder(SERVER).type(URI.class).paramLabel("URI").required(true).description("Base URI of the staging server.").build());
    command.spec.addOption(OptionSpec.builder(NAMESPACE).type(String.class).paramLabel("NAMESPACE").required(true)
        .description("Namespace of the pods that will use the bundle.").build());
    command.spec.addOption(OptionSpec.builder(LABEL).type(Map.class).auxiliaryTypes(String.class, String.class).paramLabel("KEY=VALUE")
        .description("Label of the pods that will use the bundle (repeatable); the server deletes the bundle once no such pod is left.")
        .build());
    command.spec.addOption(OptionSpec.builder(GZIP).type(boolean.class).initialValue(false)
        .description("Compress the bundle (worth it for text files, not for jars, which are compressed already).").build());
    TrustOptions.addTo(command.spec);
    UploadCredentialOptions.addTo(command.spec);
    command.spec.addOption(OptionSpec.builder("-o", OUTPUT).type(Output.class).paramLabel("FORMAT").defaultValue("text")
        .description("text or json. Default: ${DEFAULT-VALUE}.").build());
    HelpOptions.addTo(command.spec);
    command.spec.addPositional(PositionalParamSpec.builder().type(List.class).auxiliaryTypes(Path.class).arity("1..*").paramLabel("FILE")
        .description("Files to stage.").build());
    return command.spec;
  }

  private <T> T value(String option) {
    return spec.findOption(option).getValue();
  }

  @Override
  public Integer call() throws Exception {
    URI stagingServer = value(SERVER);
    String namespace = value(NAMESPACE);
    Map<String, String> labels = value(LABEL);
    Output output = value(OUTPUT);
    List<Path> files = spec.positionalParameters().get(0).getValue();
    if (labels == null || labels.isEmpty()) {
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
    var bundle = new BundlePackager(files, value(GZIP));
    reportRenamed(bundle, spec.commandLine().getErr());
    PrintWriter out = spec.commandLine().getOut();
    StagedBundle staged;
    var client = new StagingClient(stagingServer, TrustContexts.from(TrustOptions.from(spec).toTrustConfig()),
        UploadCredentialOptions.from(spec).credentials(() -> ClusterOptions.config(null, Map.of())));
    try (ProgressBar progress = progressBar(bundle.contentBytes(), output)) {
      staged = client.stage(bundle, namespace, labels, progress(progress));
    }
    if (output == Output.json) {
      var sent = staged.transfer();
      var fields = new LinkedHashMap<String, Object>();
      fields.put("resourceId", staged.resourceId());
      fields.put("resourceSecret", staged.resourceSecret());
      fields.put("size", staged.size());
      fields.put("sha256", staged.sha256());
      fields.put("files", sent.files());
      fields.put("filesSent", sent.filesSent());
      fields.put("bytesSent", sent.bytesSent());
      fields.put("names", bundle.entryNames());
      out.println(ClientJson.object(fields));
    } else {
      out.printf("staged %s%nresource id:     %s%nresource secret: %s%nsize:            %d bytes%nsha256:          %s%n",
          staged.transfer().describe(), staged.resourceId(), staged.resourceSecret(), staged.size(), staged.sha256());
    }
    out.flush();
    return 0;
  }

  /** The pods find each file under its name in the bundle, so a file that could not keep its own is named. */
  private static void reportRenamed(BundlePackager bundle, PrintWriter err) {
    for (int i = 0; i < bundle.files().size(); i++) {
      Path file = bundle.files().get(i);
      String name = bundle.entryNames().get(i);
      if (!name.equals(file.getFileName().toString())) {
        err.println("submit-client: " + BundlePackager.shown(file) + " is staged as " + name + ": another file has its name");
      }
    }
    err.flush();
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
  private static ProgressBar progressBar(long totalBytes, Output output) {
    if (System.console() == null || output == Output.json) {
      return null;
    }
    return new ProgressBarBuilder().setTaskName("Staging").setInitialMax(totalBytes).setUnit(" MiB", 1L << 20)
        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200).continuousUpdate().build();
  }
}
