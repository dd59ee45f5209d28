package io.sparkstaging.server.config;

import java.nio.file.Path;

/** Where the server's TLS key and certificate come from: a key store, or a PEM key and certificate chain. */
public sealed interface TlsConfig {

  String describe();

  record KeyStoreFile(Path path, String type, String password, String keyPassword) implements TlsConfig {
    @Override
    public String describe() {
      return "key store " + path + " (" + type + ")";
    }

    @Override
    public String toString() {
      return "KeyStoreFile[" + describe() + ", passwords redacted]";
    }
  }

  record PemFiles(Path privateKey, Path certificateChain) implements TlsConfig {
    @Override
    public String describe() {
      return "PEM key " + privateKey + ", certificate " + certificateChain;
    }
  }
}
