package io.sparkstaging.submit.spec;

import io.sparkstaging.submit.stage.StagedBundle;
import java.util.List;
import java.util.Optional;

/**
 * What staging produced: each bundle (absent when there was nothing local to stage) and the names
 * its files have inside it, which is where the init-container will put them.
 */
public record StagedDependencies(Optional<StagedBundle> jars, List<String> jarNames, Optional<StagedBundle> files, List<String> fileNames) {
  public StagedDependencies {
    jarNames = List.copyOf(jarNames);
    fileNames = List.copyOf(fileNames);
  }

  public static StagedDependencies none() {
    return new StagedDependencies(Optional.empty(), List.of(), Optional.empty(), List.of());
  }
}
