package io.sparkstaging.submit.driver;

/**
 * One feature of the driver, applied to the spec built so far. Steps are pure: they do no I/O
 * (bundles are staged before the steps run, and handed to them as data).
 *
 * <p>Start from what the incoming spec has, never from a blank builder:
 *
 * <pre>{@code
 * // right: keeps what earlier steps added
 * return spec.withPod(new PodBuilder(spec.pod()).editSpec().addToVolumes(volume).endSpec().build());
 * // wrong: drops everything earlier steps did
 * return spec.withPod(new PodBuilder().withNewSpec().addToVolumes(volume).endSpec().build());
 * }</pre>
 */
@FunctionalInterface
public interface DriverStep {
  DriverSpec apply(DriverSpec spec);
}
