package io.sparkstaging.submit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkstaging.submit.SubmitClientMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandsTest {
  private static final String[] ALL = {"stage", "status", "logs", "kill", "submit", "spark-submit", "sparkapp"};

  @Test
  void argumentsThatNameASubcommandBuildOnlyItsModel() {
    assertThat(Commands.commandLine(Map.of(), "stage", "--namespace", "ns").getSubcommands()).containsOnlyKeys("stage");
    assertThat(Commands.commandLine(Map.of(), "spark-submit", "--version").getSubcommands()).containsOnlyKeys("spark-submit");
  }

  @Test
  void helpTheVersionOrAMistakeBuildsEverySubcommand() {
    for (String[] args : new String[][] {{}, {"--help"}, {"--version"}, {"stgae"}}) {
      assertThat(Commands.commandLine(Map.of(), args).getSubcommands()).as(String.join(" ", args)).containsOnlyKeys(ALL);
    }
  }

  @Test
  void theTopLevelHelpStillListsEveryCommandAndAMisspeltOneIsStillRefused() {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    assertThat(SubmitClientMain.run(new String[] {"--help"}, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8))).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains(ALL);

    int code = SubmitClientMain.run(new String[] {"stgae"}, Map.of(), new PrintStream(new ByteArrayOutputStream(), true),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isNotZero();
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("stgae");
  }
}
