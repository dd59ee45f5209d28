package io.sparkstaging.submit.driver;

import io.sparkstaging.common.config.ConfigException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code spark.kubernetes.*} keys that Spark's own client acts on but this one does not: each
 * is refused with one line saying why, rather than silently ignored. Keys that only the driver or
 * the executors read pass through to them unchanged and are not listed here.
 */
public final class UnsupportedKeys {
  private static final Map<String, String> REFUSED = new LinkedHashMap<>();

  static {
    REFUSED.put("spark.kubernetes.driver.pod.featureSteps", "runs Spark's own classes in its client; this client cannot");
    REFUSED.put("spark.kubernetes.driver.resourceNamePrefix", "is honoured by Spark only in its own tests");
    REFUSED.put("spark.kubernetes.hadoop.configMapName", "is not supported: mount the ConfigMap with spark.kubernetes.driver.volumes.* and "
        + "set HADOOP_CONF_DIR with spark.kubernetes.driverEnv.HADOOP_CONF_DIR");
    for (String kerberos : new String[] {"spark.kubernetes.kerberos.krb5.path", "spark.kubernetes.kerberos.krb5.configMapName",
        "spark.kubernetes.kerberos.tokenSecret.name", "spark.kubernetes.kerberos.tokenSecret.itemKey"}) {
      REFUSED.put(kerberos, "is not supported: this client sets up no Kerberos login");
    }
    for (String credential : new String[] {"caCertFile", "clientKeyFile", "clientCertFile", "oauthToken", "oauthTokenFile"}) {
      REFUSED.put("spark.kubernetes.authenticate.driver." + credential, "is not supported: mount the credential with "
          + "spark.kubernetes.driver.secrets.* and point spark.kubernetes.authenticate.driver.mounted." + credential + " at it, "
          + "or use a service account (spark.kubernetes.authenticate.driver.serviceAccountName)");
    }
  }

  private UnsupportedKeys() {}

  /** @throws ConfigException naming the first refused key that is set */
  public static void check(Map<String, String> conf) {
    for (var refused : REFUSED.entrySet()) {
      if (conf.containsKey(refused.getKey())) {
        throw new ConfigException(refused.getKey() + " " + refused.getValue());
      }
    }
  }
}
