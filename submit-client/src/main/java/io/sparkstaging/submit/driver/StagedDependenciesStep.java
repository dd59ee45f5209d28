package io.sparkstaging.submit.driver;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.sparkstaging.common.config.ConfigException;
import io.sparkstaging.submit.deps.DependencyPlan;
import io.sparkstaging.submit.pod.InitContainerBootstrap;
import io.sparkstaging.submit.pod.InitContainerSpec;
import io.sparkstaging.submit.pod.PodTemplate;
import io.sparkstaging.submit.stage.StagedBundle;
import io.sparkstaging.submit.stage.StagingTrust;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Puts the init-container in the driver: the Secret with the bundle secrets, the ConfigMap with
 * its properties (the original init-container's keys), and the dependency properties pointing at
 * the {@code local://} paths where it places everything.
 */
public record StagedDependenciesStep(SubmitRequest request, AppIdentity identity, DependencyPlan plan, StagedDependencies staged,
    StagingTrust.ForPods podTrust, InitContainerSpec initContainer) implements DriverStep {

  /** The prefix of the init-container's own settings, as the original fork named its image setting. */
  static final String INIT = "spark.kubernetes.initcontainer.";
  static final String JARS_SECRET_KEY = "downloadSubmittedJarsSecret";
  static final String FILES_SECRET_KEY = "downloadSubmittedFilesSecret";

  /** The init-container spec this step and the executor template share. */
  public static InitContainerSpec initContainerSpec(SubmitRequest request, AppIdentity identity, StagedDependencies staged,
      StagingTrust.ForPods podTrust) {
    boolean anySecret = staged.jars().isPresent() || staged.files().isPresent() || !podTrust.secretData().isEmpty();
    return new InitContainerSpec(request.initImage(), request.conf("spark.kubernetes.container.image.pullPolicy", "IfNotPresent"),
        identity.resourcePrefix() + "-init-config", anySecret ? Optional.of(identity.resourcePrefix() + "-init-secret") : Optional.empty(),
        InitContainerSpec.resources(quantity(request, INIT + "request.cores", InitContainerSpec.DEFAULT_REQUEST_CORES),
            quantity(request, INIT + "limit.cores", InitContainerSpec.DEFAULT_LIMIT_CORES),
            quantity(request, INIT + "memory", InitContainerSpec.DEFAULT_MEMORY)));
  }

  /** A Kubernetes quantity ({@code 500m}, {@code 1}, {@code 256Mi}), checked here rather than by the API server after staging. */
  static String quantity(SubmitRequest request, String key, String fallback) {
    String value = request.conf(key, fallback).strip();
    try {
      Quantity.getAmountInBytes(new Quantity(value));
      return value;
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key + "=" + value + " is not a Kubernetes quantity, e.g. 500m, 1 or 256Mi");
    }
  }

  @Override
  public DriverSpec apply(DriverSpec spec) {
    if (!plan.needsInitContainer()) {
      return spec;
    }
    DriverSpec result;
    try {
      result = spec.withPod(InitContainerBootstrap.decorate(spec.pod(), spec.sparkContainer(), initContainer));
    } catch (IllegalArgumentException clash) {
      String template = request.templates().driver().map(PodTemplate::source).orElse("the driver pod");
      throw new ConfigException(template + ": " + clash.getMessage() + ", which the init-container needs");
    }
    if (initContainer.secretName().isPresent()) {
      var secret = new SecretBuilder().withNewMetadata().withName(initContainer.secretName().get()).withNamespace(request.namespace())
          .addToLabels("spark-app-selector", identity.appId()).endMetadata();
      staged.jars().ifPresent(bundle -> secret.addToData(JARS_SECRET_KEY, base64(bundle.resourceSecret())));
      staged.files().ifPresent(bundle -> secret.addToData(FILES_SECRET_KEY, base64(bundle.resourceSecret())));
      secret.addToData(podTrust.secretData());
      result = result.withResource(secret.build());
    }
    var configMap =
        new ConfigMapBuilder().withNewMetadata().withName(initContainer.propertiesConfigMap()).withNamespace(request.namespace())
            .addToLabels("spark-app-selector", identity.appId()).endMetadata()
            .addToData(InitContainerSpec.PROPERTIES_KEY, PropertiesText.of(initProperties())).build();
    return result.withResource(configMap);
  }

  private Map<String, String> initProperties() {
    var properties = new LinkedHashMap<String, String>();
    request.podStagingServer().ifPresent(uri -> properties.put("spark.kubernetes.resourceStagingServer.uri", uri.toString()));
    staged.jars().ifPresent(bundle -> putBundle(properties, "Jars", bundle, JARS_SECRET_KEY));
    staged.files().ifPresent(bundle -> putBundle(properties, "Files", bundle, FILES_SECRET_KEY));
    if (!plan.remoteJars().isEmpty()) {
      properties.put("spark.kubernetes.initcontainer.remoteJars", join(plan.remoteJars()));
    }
    if (!plan.remoteFiles().isEmpty()) {
      properties.put("spark.kubernetes.initcontainer.remoteFiles", join(plan.remoteFiles()));
    }
    if (!plan.unpack().isEmpty()) {
      properties.put("spark.kubernetes.initcontainer.unpackArchives", String.join(",", plan.unpack()));
      properties.put("spark.kubernetes.mountdependencies.archivesDir", InitContainerSpec.ARCHIVES_DIR);
    }
    properties.putAll(podTrust.initProperties());
    properties.put("spark.kubernetes.mountdependencies.jarsDownloadDir", InitContainerSpec.JARS_DIR);
    properties.put("spark.kubernetes.mountdependencies.filesDownloadDir", InitContainerSpec.FILES_DIR);
    properties.put("spark.kubernetes.mountdependencies.mountTimeout", request.conf("spark.kubernetes.mountdependencies.mountTimeout", "5"));
    return properties;
  }

  private static void putBundle(Map<String, String> properties, String kind, StagedBundle bundle, String secretKey) {
    properties.put("spark.kubernetes.initcontainer.download" + kind + "ResourceIdentifier", bundle.resourceId());
    properties.put("spark.kubernetes.initcontainer.download" + kind + "SecretLocation", InitContainerSpec.SECRET_DIR + "/" + secretKey);
  }

  private static String join(List<URI> uris) {
    return uris.stream().map(URI::toString).collect(Collectors.joining(","));
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
