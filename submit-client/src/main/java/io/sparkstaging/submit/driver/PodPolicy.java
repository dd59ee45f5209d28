package io.sparkstaging.submit.driver;

import io.sparkstaging.common.config.ConfigException;
import java.util.Locale;
import java.util.Map;

/**
 * What the driver and executor pods are made to pass by default, and the settings that relax it.
 *
 * @param restricted {@code spark.kubernetes.staging.podSecurity}: {@code restricted} (default)
 *     makes the Spark containers pass the {@code restricted} Pod Security Standard; {@code none}
 *     leaves them as Spark's own client builds them
 * @param cpuLimits {@code spark.kubernetes.staging.cpuLimits}: {@code true} (default) gives the
 *     driver and executors a CPU limit equal to their CPU request when none is set, so that a
 *     ResourceQuota on {@code limits.cpu} admits them without a LimitRange; {@code false} leaves
 *     them unlimited, as Spark does
 */
public record PodPolicy(boolean restricted, boolean cpuLimits) {
  public static final String POD_SECURITY = "spark.kubernetes.staging.podSecurity";
  public static final String CPU_LIMITS = "spark.kubernetes.staging.cpuLimits";

  public static PodPolicy of(Map<String, String> conf) {
    String security = conf.getOrDefault(POD_SECURITY, "restricted").strip().toLowerCase(Locale.ROOT);
    if (!security.equals("restricted") && !security.equals("none")) {
      throw new ConfigException(POD_SECURITY + "=" + conf.get(POD_SECURITY) + ": use restricted or none");
    }
    String limits = conf.getOrDefault(CPU_LIMITS, "true").strip().toLowerCase(Locale.ROOT);
    if (!limits.equals("true") && !limits.equals("false")) {
      throw new ConfigException(CPU_LIMITS + "=" + conf.get(CPU_LIMITS) + ": use true or false");
    }
    return new PodPolicy(security.equals("restricted"), limits.equals("true"));
  }
}
