package io.sparkstaging.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

class LayeredCommandLineTest {
  @Command(name = "demo")
  static final class Demo {
    @Parameters(arity = "0..1")
    Path file;
    @Option(names = "--target", defaultValue = "built-in")
    String target;
    @Option(names = "--size", defaultValue = "1")
    int size;
  }

  @TempDir
  Path dir;
  private final Map<String, String> originalKeys = new LinkedHashMap<>();

  private Demo parse(Map<String, String> env, String... args) {
    return new LayeredCommandLine("DEMO_", originalKeys).parse(Demo::new, demo -> demo.file, args, env, new PrintWriter(new StringWriter()))
        .orElseThrow().command();
  }

  @Test
  void theFirstDeclaredOriginalKeyWinsAndTheOptionsOwnNameBeatsThemAll() throws IOException {
    originalKeys.put("app.internal.target", "target");
    originalKeys.put("app.target", "target");
    Path file = Files.writeString(dir.resolve("a.properties"), "app.target=outer\napp.internal.target=inner\n");
    assertThat(parse(Map.of(), file.toString()).target).isEqualTo("inner");

    Path withNative = Files.writeString(dir.resolve("b.properties"), "app.internal.target=inner\ntarget=native\n");
    assertThat(parse(Map.of(), withNative.toString()).target).isEqualTo("native");
  }

  @Test
  void unknownKeysAreReportedNotApplied() throws IOException {
    Path file = Files.writeString(dir.resolve("c.properties"), "sise=5\n");
    var parsed = new LayeredCommandLine("DEMO_", Map.of()).parse(Demo::new, demo -> demo.file, new String[] {file.toString()}, Map.of(),
        new PrintWriter(new StringWriter())).orElseThrow();

    assertThat(parsed.ignoredKeys()).containsExactly("sise");
    assertThat(parsed.command().size).isEqualTo(1);
  }

  @Test
  void theEnvironmentBeatsTheFileAndTheCommandLineBeatsBoth() throws IOException {
    Path file = Files.writeString(dir.resolve("d.properties"), "size=2\ntarget=file\n");

    Demo demo = parse(Map.of("DEMO_SIZE", "3", "DEMO_TARGET", "env"), file.toString(), "--target", "cli");

    assertThat(demo.size).isEqualTo(3);
    assertThat(demo.target).isEqualTo("cli");
  }
}
