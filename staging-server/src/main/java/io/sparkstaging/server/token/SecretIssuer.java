package io.sparkstaging.server.token;

import java.security.SecureRandom;
import java.util.Base64;

/** Makes bundle secrets: 256 bits from {@link SecureRandom}, as URL-safe base64 without padding. */
public final class SecretIssuer {
  private static final int SECRET_BYTES = 32;

  private final SecureRandom random;

  public SecretIssuer(SecureRandom random) {
    this.random = random;
  }

  public String newSecret() {
    byte[] bytes = new byte[SECRET_BYTES];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
