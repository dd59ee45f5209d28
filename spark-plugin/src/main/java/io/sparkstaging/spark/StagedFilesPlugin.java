package io.sparkstaging.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkFiles;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives staged {@code --files}, {@code --py-files} and {@code --archives} spark-submit's
 * semantics without the driver serving them. The submit client hands them to Spark as
 * {@code local://} paths where the init-container put them, in every pod: Spark then copies them
 * into the driver's working directory and never serves them to executors, but neither does it
 * put them in the {@code SparkFiles} directory. This plugin links each one there, on the driver
 * (a temporary directory) and on each executor (its working directory, where Python workers and
 * relative paths such as {@code ./environment/bin/python} look), before any task runs.
 */
public final class StagedFilesPlugin implements SparkPlugin {
  private static final Logger LOG = LoggerFactory.getLogger(StagedFilesPlugin.class);

  @Override
  public DriverPlugin driverPlugin() {
    return new DriverPlugin() {
      @Override
      public Map<String, String> init(SparkContext sc, PluginContext context) {
        linkInto(context.conf(), Path.of(SparkFiles.getRootDirectory()));
        return Map.of();
      }
    };
  }

  @Override
  public ExecutorPlugin executorPlugin() {
    return new ExecutorPlugin() {
      @Override
      public void init(PluginContext context, Map<String, String> extraConf) {
        linkInto(context.conf(), Path.of(SparkFiles.getRootDirectory()));
      }
    };
  }

  static void linkInto(SparkConf conf, Path root) {
    linkAll(conf, PodFiles.DIR, PodFiles.NAMES, root);
    linkAll(conf, PodFiles.ARCHIVES_DIR, PodFiles.ARCHIVES, root);
  }

  private static void linkAll(SparkConf conf, String dirKey, String namesKey, Path root) {
    String[] names = Arrays.stream(conf.get(namesKey, "").split(",")).map(String::strip).filter(name -> !name.isEmpty())
        .toArray(String[]::new);
    if (names.length == 0) {
      return;
    }
    Path source = Path.of(conf.get(dirKey));
    for (String name : names) {
      link(source.resolve(name), root.toAbsolutePath().resolve(name));
    }
    LOG.info("Linked {} staged entries from {} into {}", names.length, source, root.toAbsolutePath());
  }

  private static void link(Path target, Path link) {
    try {
      Files.createSymbolicLink(link, target);
    } catch (FileAlreadyExistsException e) {
      // Spark fetched something of that name itself; what it fetched stays.
      LOG.warn("{} exists already; not linking it to {}", link, target);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot link " + link + " to the staged " + target, e);
    }
  }
}
