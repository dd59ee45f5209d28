package io.sparkstaging.common.config;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code -h} and {@code -V} for a command built with picocli's programmatic API, as {@code
 * mixinStandardHelpOptions} adds them to an annotated one, without reading picocli's annotated
 * mixin: a command whose start matters reads no annotations at all (docs/benchmarks.md, scenarios 5
 * and 6).
 */
public final class HelpOptions {
  private HelpOptions() {}

  public static void addTo(CommandSpec spec) {
    spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("Show this help message and exit.").build());
    spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true).description("Print version information and exit.").build());
  }
}
