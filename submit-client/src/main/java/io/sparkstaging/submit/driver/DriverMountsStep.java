package io.sparkstaging.submit.driver;

import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.sparkstaging.common.config.ConfigException;

/**
 * What Spark's client mounts into the driver from the user's properties: volumes
 * ({@code spark.kubernetes.driver.volumes.*}), Secrets as files
 * ({@code spark.kubernetes.driver.secrets.NAME=PATH}) and Secret keys as environment variables
 * ({@code spark.kubernetes.driver.secretKeyRef.ENV=NAME:KEY}).
 */
public record DriverMountsStep(SubmitRequest request, AppIdentity identity) implements DriverStep {
  static final String SECRETS = "spark.kubernetes.driver.secrets.";
  static final String SECRET_KEY_REFS = "spark.kubernetes.driver.secretKeyRef.";

  @Override
  public DriverSpec apply(DriverSpec spec) {
    var pod = new PodBuilder(spec.pod());
    DriverSpec result = spec;
    for (DriverVolumes.Mounted mounted : DriverVolumes.parse(request, identity.resourcePrefix(), identity.appId())) {
      pod.editSpec().addToVolumes(mounted.volume()).editMatchingContainer(c -> c.getName().equals(spec.sparkContainer()))
          .addToVolumeMounts(mounted.mount()).endContainer().endSpec();
      if (mounted.claim().isPresent()) {
        result = result.withResource(mounted.claim().get());
      }
    }
    request.confWithPrefix(SECRETS).forEach((secret, path) -> pod.editSpec()
        .addToVolumes(new VolumeBuilder().withName(secret + "-volume").withNewSecret().withSecretName(secret).endSecret().build())
        .editMatchingContainer(c -> c.getName().equals(spec.sparkContainer()))
        .addToVolumeMounts(new VolumeMountBuilder().withName(secret + "-volume").withMountPath(path).build())
        .endContainer().endSpec());
    request.confWithPrefix(SECRET_KEY_REFS).forEach((env, reference) -> {
      int colon = reference.indexOf(':');
      if (colon <= 0 || colon == reference.length() - 1) {
        throw new ConfigException(SECRET_KEY_REFS + env + "=" + reference + ": expected SECRET_NAME:KEY");
      }
      pod.editSpec().editMatchingContainer(c -> c.getName().equals(spec.sparkContainer()))
          .addToEnv(new EnvVarBuilder().withName(env).withNewValueFrom().withNewSecretKeyRef(reference.substring(colon + 1),
              reference.substring(0, colon), false).endValueFrom().build())
          .endContainer().endSpec();
    });
    return result.withPod(pod.build());
  }
}
