package io.sparkstaging.submit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkConfDirTest {
  @TempDir
  Path home;

  @Test
  void theConfDirComesFromSparkConfDirElseSparkHome() throws Exception {
    Path conf = Files.createDirectories(home.resolve("conf"));
    Files.writeString(conf.resolve("spark-defaults.conf"), "spark.executor.instances 3");

    assertThat(SparkConfDir.from(Map.of("SPARK_HOME", home.toString())).defaultsFile()).contains(conf.resolve("spark-defaults.conf"));
    assertThat(
        SparkConfDir.from(Map.of("SPARK_HOME", home.toString(), "SPARK_CONF_DIR", home.resolve("elsewhere").toString())).defaultsFile())
        .isEmpty();
    assertThat(SparkConfDir.from(Map.of()).dir()).isEmpty();
  }

  @Test
  void shipsTextFilesSmallestFirstWithinTheBudgetAndLeavesOutWhatSparkLeavesOut() throws Exception {
    Path conf = Files.createDirectories(home.resolve("conf"));
    Files.writeString(conf.resolve("log4j2.properties"), "rootLogger.level = warn");
    Files.writeString(conf.resolve("hive-site.xml"), "x".repeat(200));
    Files.writeString(conf.resolve("big.xml"), "x".repeat(900));
    Files.writeString(conf.resolve("spark-defaults.conf"), "spark.a 1");
    Files.writeString(conf.resolve("spark-env.sh.template"), "#");
    Files.writeString(conf.resolve("lib.jar"), "PK");
    Files.write(conf.resolve("binary.txt"), new byte[] {(byte) 0xff, (byte) 0xfe, 0});
    List<String> skipped = new ArrayList<>();

    Map<String, String> files = new SparkConfDir(java.util.Optional.of(conf)).podFiles(1000, skipped::add);

    assertThat(files.keySet()).containsExactly("log4j2.properties", "hive-site.xml");
    assertThat(skipped).containsExactlyInAnyOrder("binary.txt (not UTF-8 text)", "big.xml (over spark.kubernetes.configMap.maxSize)");
  }
}
