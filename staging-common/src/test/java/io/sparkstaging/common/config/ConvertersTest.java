package io.sparkstaging.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

class ConvertersTest {
  private static CommandLine command() {
    CommandSpec spec = CommandSpec.create();
    spec.addOption(OptionSpec.builder("--size").type(Long.class).converters(new Converters.Size()).build());
    spec.addOption(OptionSpec.builder("--time").type(Duration.class).converters(new Converters.Time()).build());
    spec.addOption(OptionSpec.builder("--timeout").type(Duration.class).converters(new Converters.MillisOrTime()).build());
    spec.addOption(OptionSpec.builder("--mount-timeout").type(Duration.class).converters(new Converters.MinutesOrTime()).build());
    return new CommandLine(spec);
  }

  @Test
  void sizesAndDurationsAreReadInTheSharedSyntax() {
    var parsed = command().parseArgs("--size", "512m", "--time", "90s", "--timeout", "1800000", "--mount-timeout", "5");

    assertThat(parsed.<Long>matchedOptionValue("--size", 0L)).isEqualTo(512L << 20);
    assertThat(parsed.<Duration>matchedOptionValue("--time", null)).isEqualTo(Duration.ofSeconds(90));
    assertThat(parsed.<Duration>matchedOptionValue("--timeout", null)).isEqualTo(Duration.ofMinutes(30));
    assertThat(parsed.<Duration>matchedOptionValue("--mount-timeout", null)).isEqualTo(Duration.ofMinutes(5));
    assertThat(command().parseArgs("--mount-timeout", "90s").<Duration>matchedOptionValue("--mount-timeout", null))
        .isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void aValueThatIsNotOneIsRefusedWithTheOptionAndTheReasonAlone() {
    assertThatThrownBy(() -> command().parseArgs("--size", "-5")).isInstanceOf(CommandLine.ParameterException.class)
        .hasMessage("Invalid value for option '--size': '-5' is not a size; use e.g. 1048576, 512k, 512m, 2g");
    assertThatThrownBy(() -> command().parseArgs("--time", "forever")).isInstanceOf(CommandLine.ParameterException.class)
        .hasMessage("Invalid value for option '--time': 'forever' is not a duration; use e.g. 500ms, 30s, 5m, 1h, 2d");
    assertThatThrownBy(() -> command().parseArgs("--timeout", "soon")).isInstanceOf(CommandLine.ParameterException.class)
        .hasMessage("Invalid value for option '--timeout': 'soon' is not a duration; use e.g. 500ms, 30s, 5m, 1h, 2d");
    assertThatThrownBy(() -> command().parseArgs("--timeout", "99999999999999999999")).isInstanceOf(CommandLine.ParameterException.class)
        .hasMessage("Invalid value for option '--timeout': '99999999999999999999' milliseconds is more than a duration can be");
    assertThatThrownBy(() -> command().parseArgs("--mount-timeout", "999999999999999999"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessage("Invalid value for option '--mount-timeout': '999999999999999999' minutes is more than a duration can be");
    assertThatThrownBy(() -> command().parseArgs("--mount-timeout", "soon")).isInstanceOf(CommandLine.ParameterException.class)
        .hasMessage("Invalid value for option '--mount-timeout': 'soon' is not a duration; use e.g. 500ms, 30s, 5m, 1h, 2d");
  }
}
