package io.sparkstaging.submit.cli;

import io.sparkstaging.common.config.ConfigException;
import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * The submitter's Spark configuration directory, {@code $SPARK_CONF_DIR} else
 * {@code $SPARK_HOME/conf}, read as spark-submit reads it: {@code spark-defaults.conf} when no
 * properties file is given, and the other files (log4j2.properties…) for the driver's conf
 * ConfigMap, with Spark's exclusions and size budget.
 */
record SparkConfDir(Optional<Path> dir) {
  static final String DEFAULTS = "spark-defaults.conf";
  static final String MAX_SIZE = "spark.kubernetes.configMap.maxSize";
  static final long DEFAULT_MAX_SIZE = 1024 * 1024;

  static SparkConfDir from(Map<String, String> environment) {
    return new SparkConfDir(Optional.ofNullable(environment.get("SPARK_CONF_DIR"))
        .or(() -> Optional.ofNullable(environment.get("SPARK_HOME")).map(home -> home + File.separator + "conf"))
        .map(Path::of));
  }

  /** The properties file given, else {@code spark-defaults.conf} here, as spark-submit reads them; empty if neither. */
  LinkedHashMap<String, String> properties(Optional<Path> given) {
    var properties = new LinkedHashMap<String, String>();
    Optional<Path> file = given.or(this::defaultsFile);
    if (file.isPresent()) {
      if (!Files.isRegularFile(file.get())) {
        throw new ConfigException("--properties-file " + file.get() + ": no such file");
      }
      var loaded = new Properties();
      try (Reader reader = Files.newBufferedReader(file.get(), StandardCharsets.UTF_8)) {
        loaded.load(reader);
      } catch (IOException e) {
        throw new ConfigException("cannot read " + file.get() + ": " + e.getMessage(), e);
      }
      loaded.stringPropertyNames().forEach(key -> properties.put(key, loaded.getProperty(key).strip()));
    }
    return properties;
  }

  Optional<Path> defaultsFile() {
    return dir.map(d -> d.resolve(DEFAULTS)).filter(Files::isRegularFile);
  }

  /**
   * Text files other than Spark's own properties and templates, smallest first, while the names
   * and contents fit in {@code maxSize}; {@code skipped} hears of each left out.
   */
  Map<String, String> podFiles(long maxSize, Consumer<String> skipped) {
    var files = new LinkedHashMap<String, String>();
    if (dir.isEmpty() || !Files.isDirectory(dir.get())) {
      return files;
    }
    File[] listed = dir.get().toFile().listFiles(file -> file.isFile() && !excluded(file.getName())
        && file.length() + file.getName().length() <= maxSize);
    List<File> ordered = Arrays.stream(listed == null ? new File[0] : listed)
        .sorted(Comparator.comparingLong((File file) -> file.length() + file.getName().length()).thenComparing(File::getName))
        .toList();
    long total = 0;
    for (File file : ordered) {
      String content;
      try {
        content = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file.toPath()))).toString();
      } catch (CharacterCodingException notText) {
        skipped.accept(file.getName() + " (not UTF-8 text)");
        continue;
      } catch (IOException e) {
        throw new ConfigException("cannot read " + file + " from the Spark configuration directory: " + e.getMessage(), e);
      }
      long size = file.getName().length() + content.length();
      if (total + size < maxSize) {
        files.put(file.getName(), content);
        total += size;
      } else {
        skipped.accept(file.getName() + " (over " + MAX_SIZE + ")");
      }
    }
    return files;
  }

  /** Spark's own rules: ConfigMaps hold text, and Spark's properties are written apart. */
  static boolean excluded(String name) {
    return name.matches(".*\\.(gz|zip|jar|tar)") || name.matches(".*\\.template") || name.matches("spark.*(conf|properties)");
  }
}
