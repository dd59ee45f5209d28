package io.sparkstaging.server.config;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest, so that {@code --version} never disagrees with the build. */
final class Versions implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = Versions.class.getPackage().getImplementationVersion();
    return new String[] {"staging-server " + (version != null ? version : "(development build)")};
  }
}
