package io.sparkstaging.submit.driver;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The headless Service executors reach the driver through, as Spark names and shapes it, with the
 * user's {@code spark.kubernetes.driver.service.{label,annotation}.*}, {@code .ipFamilyPolicy}
 * and {@code .ipFamilies}.
 */
public record DriverServiceStep(AppIdentity identity, SubmitRequest request) implements DriverStep {
  @Override
  public DriverSpec apply(DriverSpec spec) {
    String namespace = request.namespace();
    Service service = new ServiceBuilder()
        .withNewMetadata()
        .withName(identity.driverServiceName())
        .withNamespace(namespace)
        .addToLabels(withPrefix("spark.kubernetes.driver.service.label."))
        .addToLabels("spark-app-selector", identity.appId())
        .addToAnnotations(withPrefix("spark.kubernetes.driver.service.annotation."))
        .endMetadata()
        .withNewSpec()
        .withClusterIP("None")
        .withIpFamilyPolicy(request.conf("spark.kubernetes.driver.service.ipFamilyPolicy", "SingleStack"))
        .withIpFamilies(Arrays.stream(request.conf("spark.kubernetes.driver.service.ipFamilies", "IPv4").split(","))
            .map(String::strip).toList())
        .withSelector(spec.pod().getMetadata().getLabels())
        .addNewPort().withName("driver-rpc-port").withPort(BasicDriverStep.DRIVER_PORT).withNewTargetPort(BasicDriverStep.DRIVER_PORT)
        .endPort()
        .addNewPort().withName("blockmanager").withPort(BasicDriverStep.BLOCK_MANAGER_PORT)
        .withNewTargetPort(BasicDriverStep.BLOCK_MANAGER_PORT).endPort()
        .addNewPort().withName("spark-ui").withPort(BasicDriverStep.UI_PORT).withNewTargetPort(BasicDriverStep.UI_PORT).endPort()
        .endSpec()
        .build();
    return spec.withResource(service).withProperties(Map.of(
        "spark.driver.host", identity.driverServiceName() + "." + namespace + ".svc",
        "spark.driver.port", String.valueOf(BasicDriverStep.DRIVER_PORT),
        "spark.driver.blockManager.port", String.valueOf(BasicDriverStep.BLOCK_MANAGER_PORT)));
  }

  private Map<String, String> withPrefix(String prefix) {
    var values = new LinkedHashMap<String, String>();
    request.confWithPrefix(prefix).forEach((key, value) -> values.put(key, value.replace("{{APP_ID}}", identity.appId())));
    return values;
  }
}
