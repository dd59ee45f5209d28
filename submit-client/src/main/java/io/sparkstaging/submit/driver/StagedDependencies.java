package io.sparkstaging.submit.driver;

import io.sparkstaging.submit.stage.StagedBundle;
import java.util.Optional;

/** What staging produced: each bundle, absent when there was nothing local of its kind to stage. */
public record StagedDependencies(Optional<StagedBundle> jars, Optional<StagedBundle> files) {
  public static StagedDependencies none() {
    return new StagedDependencies(Optional.empty(), Optional.empty());
  }
}
