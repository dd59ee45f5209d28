package io.sparkstaging.submit.spec;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.sparkstaging.submit.podspec.InitContainerBootstrap;
import io.sparkstaging.submit.podspec.InitContainerSpec;
import io.sparkstaging.submit.stage.StagedBundle;
import io.sparkstaging.submit.stage.StagingTrust;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Puts the init-container in the driver: the Secret with the bundle secrets, the ConfigMap with
 * its properties (the original init-container's keys), and {@code spark.jars}/{@code spark.files}
 * rewritten to the {@code local://} paths where it places them.
 */
public record StagedDependenciesStep(SubmitRequest request, AppIdentity identity, DependencyPlan plan, StagedDependencies staged,
    StagingTrust.ForPods podTrust, InitContainerSpec initContainer) implements DriverStep {

  static final String JARS_SECRET_KEY = "downloadSubmittedJarsSecret";
  static final String FILES_SECRET_KEY = "downloadSubmittedFilesSecret";

  /** The init-container spec this step and the executor template share. */
  public static InitContainerSpec initContainerSpec(SubmitRequest request, AppIdentity identity, StagedDependencies staged,
      StagingTrust.ForPods podTrust) {
    boolean anySecret = staged.jars().isPresent() || staged.files().isPresent() || !podTrust.secretData().isEmpty();
    return new InitContainerSpec(request.initImage(), request.conf("spark.kubernetes.container.image.pullPolicy", "IfNotPresent"),
        identity.resourcePrefix() + "-init-config", anySecret ? Optional.of(identity.resourcePrefix() + "-init-secret") : Optional.empty());
  }

  @Override
  public DriverSpec apply(DriverSpec spec) {
    if (!plan.needsInitContainer()) {
      return spec;
    }
    DriverSpec result = spec.withPod(InitContainerBootstrap.decorate(spec.pod(), BasicDriverStep.CONTAINER, initContainer));
    if (initContainer.secretName().isPresent()) {
      var secret = new SecretBuilder().withNewMetadata().withName(initContainer.secretName().get()).withNamespace(request.namespace())
          .addToLabels("spark-app-selector", identity.appId()).endMetadata();
      staged.jars().ifPresent(bundle -> secret.addToData(JARS_SECRET_KEY, base64(bundle.resourceSecret())));
      staged.files().ifPresent(bundle -> secret.addToData(FILES_SECRET_KEY, base64(bundle.resourceSecret())));
      secret.addToData(podTrust.secretData());
      result = result.withResource(secret.build());
    }
    var configMap = new ConfigMapBuilder().withNewMetadata().withName(initContainer.propertiesConfigMap()).withNamespace(request.namespace())
        .addToLabels("spark-app-selector", identity.appId()).endMetadata()
        .addToData(InitContainerSpec.PROPERTIES_KEY, PropertiesText.of(initProperties())).build();
    return result.withResource(configMap).withProperties(Map.of(
        "spark.jars", String.join(",", rewritten(staged.jarNames(), plan.remoteJars(), plan.keptJars(), InitContainerSpec.JARS_DIR)),
        "spark.files", String.join(",", rewritten(staged.fileNames(), plan.remoteFiles(), plan.keptFiles(), InitContainerSpec.FILES_DIR))));
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

  /** Staged and downloaded entries become {@code local://} paths in the pod; the rest are left as given. */
  static List<String> rewritten(List<String> stagedNames, List<URI> remote, List<String> kept, String dir) {
    var uris = new ArrayList<String>();
    stagedNames.forEach(name -> uris.add("local://" + dir + "/" + name));
    remote.forEach(uri -> uris.add("local://" + dir + "/" + lastSegment(uri)));
    uris.addAll(kept);
    return uris;
  }

  /** Where the primary jar is in the pod: staged or downloaded into the jars directory, else as given. */
  public static String primaryResourceInPod(DependencyPlan plan, StagedDependencies staged, String primaryResource) {
    List<String> jars = rewritten(staged.jarNames(), plan.remoteJars(), plan.keptJars(), InitContainerSpec.JARS_DIR);
    return jars.isEmpty() ? primaryResource : jars.get(0);
  }

  private static String lastSegment(URI uri) {
    String path = uri.getPath();
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private static String join(List<URI> uris) {
    return uris.stream().map(URI::toString).collect(Collectors.joining(","));
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
