package io.sparkstaging.submit.deps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkstaging.common.config.ConfigException;
import io.sparkstaging.spark.PodFiles;
import io.sparkstaging.submit.driver.AppKind;
import io.sparkstaging.submit.driver.SubmitRequest;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DependencyPlanTest {
  private static final Path PLUGIN = Path.of("/tmp/plugin.jar");
  private static final String JARS = "local:///var/spark-data/spark-jars/";
  private static final String FILES = "local:///var/spark-data/spark-files/";

  @TempDir
  Path laptop;

  private String file(String name) throws Exception {
    Path path = laptop.resolve(name);
    Files.createDirectories(path.getParent());
    return Files.writeString(path, name).toString();
  }

  private static DependencyPlan plan(AppKind kind, String primary, SubmitRequest.Dependencies dependencies, Map<String, String> conf) {
    var request = new SubmitRequest("app", kind, kind == AppKind.JAVA ? "org.example.Main" : AppKind.PYTHON_RUNNER, primary, List.of(),
        dependencies, conf, Map.of(), null, Map.of(), SubmitRequest.Templates.none(), "ns", "apache/spark:3.5.6", "init",
        Optional.of(URI.create("http://staging")),
        Optional.empty());
    return DependencyPlan.of(request, PLUGIN);
  }

  private static SubmitRequest.Dependencies deps(List<String> jars, List<String> files, List<String> pyFiles, List<String> archives) {
    return new SubmitRequest.Dependencies(jars, files, pyFiles, archives);
  }

  @Test
  void aPythonPrimaryIsStagedAsAFileAndIsNotAJar() throws Exception {
    DependencyPlan plan =
        plan(AppKind.PYTHON, file("job.py"), deps(List.of(), List.of(), List.of(file("helper.py"), file("deps.zip")), List.of()),
            Map.of());

    assertThat(plan.primaryInPod()).isEqualTo(FILES + "job.py");
    assertThat(plan.fileNames()).containsExactly("job.py", "helper.py", "deps.zip");
    assertThat(plan.podProperties()).containsEntry("spark.submit.pyFiles", FILES + "helper.py," + FILES + "deps.zip")
        .containsEntry("spark.jars", JARS + PodFiles.JAR_NAME)
        .containsEntry(PodFiles.NAMES, "helper.py,deps.zip");
  }

  @Test
  void filesAndArchivesGoToSparkAsLocalUrisThatThePluginLinksWhereSparkFilesLooks() throws Exception {
    DependencyPlan plan = plan(AppKind.JAVA, file("app.jar"),
        deps(List.of(), List.of(file("words.txt"), "https://example.com/conf/remote.txt", "s3a://bucket/kept.txt"), List.of(),
            List.of(file("env.tar.gz") + "#environment", file("other.zip"))),
        Map.of("spark.plugins", "com.example.TheirPlugin"));

    assertThat(plan.podProperties())
        .containsEntry("spark.files", FILES + "words.txt," + FILES + "remote.txt,s3a://bucket/kept.txt")
        .containsEntry("spark.archives", FILES + "env.tar.gz#environment," + FILES + "other.zip#other.zip")
        .containsEntry("spark.plugins", "com.example.TheirPlugin," + PodFiles.PLUGIN_CLASS)
        .containsEntry(PodFiles.DIR, "/var/spark-data/spark-files")
        .containsEntry(PodFiles.NAMES, "words.txt,remote.txt")
        .containsEntry(PodFiles.ARCHIVES_DIR, "/var/spark-data/spark-files/.archives")
        .containsEntry(PodFiles.ARCHIVES, "environment,other.zip");
    assertThat(plan.unpack()).containsExactly("env.tar.gz#environment", "other.zip#other.zip");
    assertThat(plan.remoteFiles()).containsExactly(URI.create("https://example.com/conf/remote.txt"));
    assertThat(plan.jarsToStage()).containsExactly(PLUGIN, Path.of(file("app.jar")));
    assertThat(plan.podProperties().get("spark.jars")).startsWith(JARS + "app.jar," + JARS + PodFiles.JAR_NAME);
  }

  @Test
  void aRemoteFileIsNamedByTheRuleTheInitContainerSavesItUnder() throws Exception {
    DependencyPlan plan = plan(AppKind.JAVA, file("app.jar"),
        deps(List.of(), List.of("https://example.com/conf/a+b.txt", "https://example.com/conf/c%2Bd.txt"), List.of(), List.of()), Map.of());

    // A '+' in a path is a '+', as in the init-container (RemoteFileNames), not a space as form encoding would have it.
    assertThat(plan.podProperties().get(PodFiles.NAMES)).isEqualTo("a+b.txt,c+d.txt");
  }

  @Test
  void withoutFilesThereIsNoPlugin() throws Exception {
    DependencyPlan plan = plan(AppKind.JAVA, file("app.jar"), deps(List.of(file("lib.jar")), List.of(), List.of(), List.of()), Map.of());

    assertThat(plan.jarsToStage()).doesNotContain(PLUGIN);
    assertThat(plan.podProperties()).doesNotContainKeys("spark.plugins", PodFiles.NAMES, "spark.files")
        .containsEntry("spark.jars", JARS + "app.jar," + JARS + "lib.jar");
  }

  @Test
  void globsAndDirectoriesExpandAndJarsOfOneNameAreRenamed() throws Exception {
    file("lib/a.jar");
    file("lib/b.jar");
    file("lib/notes.txt");
    file("more/a.jar");
    file("conf/x.conf");
    file("conf/y.conf");

    DependencyPlan plan = plan(AppKind.JAVA, file("app.jar"),
        deps(List.of(laptop.resolve("lib").toString(), laptop.resolve("more") + "/*.jar"), List.of(laptop + "/conf/*.conf"), List.of(),
            List.of()),
        Map.of());

    assertThat(plan.jarNames()).containsExactly(PodFiles.JAR_NAME, "app.jar", "a.jar", "b.jar", "a-1.jar");
    assertThat(plan.fileNames()).containsExactly("x.conf", "y.conf");
  }

  @Test
  void aNameWithASpaceIsPercentEncodedForSpark() throws Exception {
    DependencyPlan plan =
        plan(AppKind.JAVA, file("app.jar"), deps(List.of(), List.of(file("my settings.txt")), List.of(), List.of()), Map.of());

    assertThat(plan.podProperties()).containsEntry("spark.files", FILES + "my%20settings.txt");
    assertThat(plan.fileNames()).containsExactly("my settings.txt");
  }

  @Test
  void twoFilesOfOneNameAreRefusedSinceSparkFilesCouldFindOnlyOne() throws Exception {
    String a = file("a/data.txt");
    String b = file("b/data.txt");

    assertThatThrownBy(
        () -> plan(AppKind.JAVA, file("app.jar"), deps(List.of(), List.of(a), List.of(), List.of(b + "#data.txt")), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("--archives " + b + "#data.txt").hasMessageContaining("'data.txt'");
  }

  @Test
  void twoArchivesWithOneAliasAreRefused() throws Exception {
    String one = file("one.zip") + "#env";
    String two = file("two.tar.gz") + "#env";

    assertThatThrownBy(() -> plan(AppKind.JAVA, file("app.jar"), deps(List.of(), List.of(), List.of(), List.of(one, two)), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("--archives " + two).hasMessageContaining("also named 'env'");
  }

  @Test
  void missingUnreadableAndUnmatchedEntriesAreNamed() throws Exception {
    String app = file("app.jar");
    Path unreadable = Path.of(file("secret.txt"));
    unreadable.toFile().setReadable(false);

    assertThatThrownBy(() -> plan(AppKind.JAVA, app, deps(List.of(laptop + "/nope.jar"), List.of(), List.of(), List.of()), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessage("--jars " + laptop + "/nope.jar: no such file");
    assertThatThrownBy(() -> plan(AppKind.JAVA, app, deps(List.of(), List.of(laptop + "/*.csv"), List.of(), List.of()), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessage("--files " + laptop + "/*.csv: matches no file");
    if (!Files.isReadable(unreadable)) {
      assertThatThrownBy(() -> plan(AppKind.JAVA, app, deps(List.of(), List.of(unreadable.toString()), List.of(), List.of()), Map.of()))
          .isInstanceOf(ConfigException.class).hasMessageContaining("is not a readable file");
    }
  }

  @Test
  void aFragmentOutsideArchivesIsRefused() throws Exception {
    String file = file("words.txt") + "#other";

    assertThatThrownBy(() -> plan(AppKind.JAVA, file("app.jar"), deps(List.of(), List.of(file), List.of(), List.of()), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("only --archives");
  }

  @Test
  void pathsAreReadAsSparkSubmitReadsThem() {
    assertThat(DependencyRef.parse("C:\\work\\app.jar")).isInstanceOf(DependencyRef.Local.class);
    assertThat(DependencyRef.parse("my dir/app.jar"))
        .isEqualTo(new DependencyRef.Local("my dir/app.jar", Path.of("my dir/app.jar"), Optional.empty()));
    assertThat(DependencyRef.parse("file:///opt/x.jar"))
        .isEqualTo(new DependencyRef.Local("file:///opt/x.jar", Path.of("/opt/x.jar"), Optional.empty()));
    assertThat(DependencyRef.parse("env.tar.gz#env").fragment()).contains("env");
    assertThat(DependencyRef.parse("HTTPS://repo/x.jar")).isInstanceOf(DependencyRef.Remote.class);
    assertThat(DependencyRef.parse("local:///opt/x.jar")).isInstanceOf(DependencyRef.Kept.class);
    assertThat(DependencyRef.parse("s3a://bucket/x.jar")).isInstanceOf(DependencyRef.Kept.class);
  }
}
