package io.sparkstaging.submit.operator;

import io.sparkstaging.common.config.ConfigException;
import java.util.List;

/** One operator's SparkApplication: how to read the application from it and how to write staging's changes back. */
sealed interface OperatorDialect permits KubeflowSparkApplication, ApacheSparkApplication {
  List<OperatorDialect> ALL = List.of(new KubeflowSparkApplication(), new ApacheSparkApplication());

  /** The {@code apiVersion} this reads, e.g. {@code sparkoperator.k8s.io/v1beta2}. */
  String apiVersion();

  /** The resource's plural, for the API paths. */
  default String plural() {
    return "sparkapplications";
  }

  /** @throws ConfigException naming the field that is missing, of the wrong type, or asks for what cannot be staged */
  AppDescription describe(ManifestFields manifest);

  void rewrite(ManifestFields manifest, Rewrite rewrite);

  /** @throws ConfigException naming the kinds this reads when it is none of them */
  static OperatorDialect of(String apiVersion, String kind) {
    return ALL.stream().filter(dialect -> dialect.apiVersion().equals(apiVersion) && "SparkApplication".equals(kind)).findFirst()
        .orElseThrow(
            () -> new ConfigException("not a SparkApplication this reads (apiVersion " + apiVersion + ", kind " + kind + "): expected "
                + String.join(" or ", ALL.stream().map(OperatorDialect::apiVersion).toList()) + ", kind SparkApplication"));
  }
}
