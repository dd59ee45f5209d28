package io.sparkstaging.common.kubernetes;

import java.util.regex.Pattern;

/**
 * Kubernetes' own rules for namespace names and labels, checked where a bundle's owner is
 * accepted (the server) and where it is written (the client).
 */
public final class KubernetesNames {
  private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS1123_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern LABEL_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");

  private KubernetesNames() {}

  /** A DNS-1123 label of at most 63 characters. */
  public static boolean isNamespace(String name) {
    return name != null && name.length() <= 63 && DNS1123_LABEL.matcher(name).matches();
  }

  /** An optional DNS-1123 subdomain prefix and {@code /}, then a name of at most 63 characters. */
  public static boolean isLabelKey(String key) {
    if (key == null) {
      return false;
    }
    int slash = key.indexOf('/');
    String name = slash < 0 ? key : key.substring(slash + 1);
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      if (prefix.isEmpty() || prefix.length() > 253 || !DNS1123_SUBDOMAIN.matcher(prefix).matches()) {
        return false;
      }
    }
    return !name.isEmpty() && name.length() <= 63 && LABEL_NAME.matcher(name).matches();
  }

  /** Empty, or at most 63 characters of the label alphabet. */
  public static boolean isLabelValue(String value) {
    return value != null && (value.isEmpty() || (value.length() <= 63 && LABEL_NAME.matcher(value).matches()));
  }
}
