package io.sparkstaging.submit.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.sparkstaging.common.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * How to reach the API server: {@code k8s://} master URL (else the kubeconfig's), and credentials
 * the standard fabric8 way (kubeconfig and its context {@code spark.kubernetes.context}, in-cluster
 * service account) or from Spark's {@code spark.kubernetes.authenticate.submission.*} properties,
 * with Spark's {@code spark.kubernetes.submission.{connection,request}Timeout} and
 * {@code spark.kubernetes.trust.certificates}.
 */
final class ClusterOptions {
  private static final String AUTH = "spark.kubernetes.authenticate.submission.";

  private ClusterOptions() {}

  static Config config(String master, Map<String, String> properties) {
    var builder = new ConfigBuilder(Config.autoConfigure(properties.get("spark.kubernetes.context")));
    builder.withConnectionTimeout(millis(properties, "spark.kubernetes.submission.connectionTimeout"))
        .withRequestTimeout(millis(properties, "spark.kubernetes.submission.requestTimeout"));
    if (Boolean.parseBoolean(properties.getOrDefault("spark.kubernetes.trust.certificates", "false"))) {
      builder.withTrustCerts(true);
    }
    if (master != null) {
      if (!master.startsWith("k8s://")) {
        throw new ConfigException("--master must start with k8s://, e.g. k8s://https://kubernetes.example.com:6443");
      }
      String apiServer = master.substring("k8s://".length());
      builder.withMasterUrl(apiServer.startsWith("http://") || apiServer.startsWith("https://") ? apiServer : "https://" + apiServer);
    }
    Optional.ofNullable(properties.get(AUTH + "oauthToken")).ifPresent(builder::withOauthToken);
    Optional.ofNullable(properties.get(AUTH + "oauthTokenFile")).ifPresent(file -> builder.withOauthToken(readToken(file)));
    Optional.ofNullable(properties.get(AUTH + "caCertFile")).ifPresent(builder::withCaCertFile);
    Optional.ofNullable(properties.get(AUTH + "clientCertFile")).ifPresent(builder::withClientCertFile);
    Optional.ofNullable(properties.get(AUTH + "clientKeyFile")).ifPresent(builder::withClientKeyFile);
    return builder.build();
  }

  /** Spark's default for both timeouts is 10 s. */
  private static int millis(Map<String, String> properties, String key) {
    String value = properties.getOrDefault(key, "10000").strip();
    try {
      return Math.toIntExact(Long.parseLong(value));
    } catch (NumberFormatException | ArithmeticException e) {
      throw new ConfigException(key + "=" + value + ": expected milliseconds");
    }
  }

  /** {@code spark.kubernetes.namespace}, else the kubeconfig context's, else {@code default}. */
  static String namespace(Config config, String explicit) {
    return Optional.ofNullable(explicit).or(() -> Optional.ofNullable(config.getNamespace())).orElse("default");
  }

  private static String readToken(String file) {
    try {
      return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new ConfigException(AUTH + "oauthTokenFile: cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
