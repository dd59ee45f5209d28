package io.sparkstaging.submit.spec;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.Map;

/** The headless Service executors reach the driver through, as Spark names and shapes it. */
public record DriverServiceStep(AppIdentity identity, String namespace) implements DriverStep {
  @Override
  public DriverSpec apply(DriverSpec spec) {
    Service service = new ServiceBuilder()
        .withNewMetadata()
          .withName(identity.driverServiceName())
          .withNamespace(namespace)
          .addToLabels("spark-app-selector", identity.appId())
        .endMetadata()
        .withNewSpec()
          .withClusterIP("None")
          .withIpFamilyPolicy("SingleStack")
          .withIpFamilies("IPv4")
          .withSelector(spec.pod().getMetadata().getLabels())
          .addNewPort().withName("driver-rpc-port").withPort(BasicDriverStep.DRIVER_PORT).withNewTargetPort(BasicDriverStep.DRIVER_PORT).endPort()
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
}
