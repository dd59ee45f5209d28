package io.sparkstaging.submit.cli;

import io.sparkstaging.common.config.ConfigException;
import io.sparkstaging.submit.deps.DependencyRef;
import io.sparkstaging.submit.deps.PackageResolver;
import io.sparkstaging.submit.driver.BasicDriverStep;
import io.sparkstaging.submit.driver.ExecutorPodTemplateStep;
import io.sparkstaging.submit.driver.SubmitRequest;
import io.sparkstaging.submit.pod.PodTemplate;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.io.output.WriterOutputStream;

/** What both front ends, {@code submit} and {@code spark-submit}, read from the Spark properties on this machine. */
final class SubmissionInputs {
  private SubmissionInputs() {}

  /** {@code spark.jars.packages} and its companions, resolved here; Ivy reports on {@code err}. */
  static List<Path> resolvePackages(Map<String, String> properties, Map<String, String> environment, PrintWriter err) {
    var request = new PackageResolver.Request(list(properties.get("spark.jars.packages")), list(properties.get("spark.jars.excludes")),
        list(properties.get("spark.jars.repositories")),
        Optional.ofNullable(properties.get("spark.jars.ivySettings")).map(SubmissionInputs::localPath),
        Optional.ofNullable(properties.get("spark.jars.ivy")).filter(s -> !s.isBlank()).map(Path::of));
    try {
      var errors = WriterOutputStream.builder().setWriter(err).setCharset(StandardCharsets.UTF_8).setWriteImmediately(true);
      PrintStream log = new PrintStream(errors.get(), true, StandardCharsets.UTF_8);
      return new PackageResolver(PackageResolver.Defaults.spark(Optional.ofNullable(environment.get("DEFAULT_ARTIFACT_REPOSITORY"))), log)
          .resolve(request);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The user's driver and executor pod templates, read here, where Spark's own client reads them. */
  static SubmitRequest.Templates templates(Map<String, String> properties) {
    return new SubmitRequest.Templates(template(properties, "driver", BasicDriverStep.CONTAINER),
        template(properties, "executor", ExecutorPodTemplateStep.CONTAINER));
  }

  /** {@code spark.kubernetes.ROLE.podTemplateFile}: read here, where Spark's own client reads it. */
  static Optional<PodTemplate> template(Map<String, String> properties, String role, String defaultContainer) {
    String key = "spark.kubernetes." + role + ".podTemplateFile";
    return Optional.ofNullable(properties.get(key)).map(file -> {
      if (!(DependencyRef.parse(file) instanceof DependencyRef.Local local) || !Files.isRegularFile(local.path())) {
        throw new ConfigException(key + "=" + file + ": no such file on this machine");
      }
      return PodTemplate.load(local.path(), Optional.ofNullable(properties.get("spark.kubernetes." + role + ".podTemplateContainerName")),
          key,
          defaultContainer);
    });
  }

  static Path localPath(String setting) {
    if (DependencyRef.parse(setting) instanceof DependencyRef.Local local) {
      return local.path();
    }
    throw new ConfigException("spark.jars.ivySettings: " + setting + " is not a file on this machine");
  }

  static List<String> list(String commaSeparated) {
    return commaSeparated == null || commaSeparated.isBlank() ? List.of()
        : Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

}
