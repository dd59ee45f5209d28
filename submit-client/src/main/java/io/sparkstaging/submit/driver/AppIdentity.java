package io.sparkstaging.submit.driver;

import io.sparkstaging.common.config.ConfigException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The names of one application run, made as Spark's own client makes them, so that Spark's
 * scheduler backend in the driver finds and labels everything the way it expects.
 *
 * @param appId {@code spark-} and 32 hex digits: the {@code spark-app-selector} label and {@code spark.app.id}
 * @param resourcePrefix {@code <app name>-<unique id>}, sanitised: the prefix of every object name
 * @param uniqueId 6 random hex digits and the low 40 bits of the time in ms, in hex
 * @param appNameLabel the app name as a label value: at most 63 characters, no '-' at either end
 * @param driverPodName {@code spark.kubernetes.driver.pod.name}, else {@code <prefix>-driver}
 */
public record AppIdentity(String appId, String resourcePrefix, String uniqueId, String appNameLabel, String driverPodName) {
  private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  public static AppIdentity create(String appName, SecureRandom random, Clock clock) {
    byte[] randomBytes = new byte[3];
    random.nextBytes(randomBytes);
    String uniqueId = HexFormat.of().formatHex(randomBytes) + Long.toHexString(clock.millis() & 0xFFFFFFFFFFL);
    String appId = "spark-" + UUID.randomUUID().toString().replace("-", "");
    String prefix = sanitise(appName + "-" + uniqueId);
    return new AppIdentity(appId, prefix, uniqueId, label(appName), prefix + "-driver");
  }

  /** The same names, with the driver pod named as the user asked ({@code spark.kubernetes.driver.pod.name}). */
  public AppIdentity withDriverPodName(String name) {
    if (name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) {
      throw new ConfigException(
          "spark.kubernetes.driver.pod.name=" + name + ": not a valid pod name (lower case letters, digits, '-' and '.')");
    }
    return new AppIdentity(appId, resourcePrefix, uniqueId, appNameLabel, name);
  }

  /** Lower case, every other character '-', runs collapsed, no leading '-', a leading digit becomes 'x'. */
  static String sanitise(String name) {
    String text = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("-+", "-").replaceAll("^-", "");
    return !text.isEmpty() && Character.isDigit(text.charAt(0)) ? "x" + text.substring(1) : text;
  }

  static String label(String appName) {
    String text = sanitise(appName);
    text = text.length() > 63 ? text.substring(0, 63) : text;
    return text.replaceAll("^-+|-+$", "");
  }

  /** {@code <prefix>-driver-svc} when that fits in 63 characters, else {@code spark-<unique id>-driver-svc}, as Spark does. */
  public String driverServiceName() {
    String preferred = resourcePrefix + "-driver-svc";
    return preferred.length() <= 63 ? preferred : "spark-" + uniqueId + "-driver-svc";
  }
}
