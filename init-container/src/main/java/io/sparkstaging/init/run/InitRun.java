package io.sparkstaging.init.run;

import io.sparkstaging.common.config.ConfigException;
import io.sparkstaging.common.text.OneLine;
import io.sparkstaging.common.tls.TrustContexts;
import io.sparkstaging.init.config.InitConfig;
import io.sparkstaging.init.config.InitConfig.ArchiveAlias;
import io.sparkstaging.init.extract.ArchiveUnpacker;
import io.sparkstaging.init.fetch.Deadline;
import io.sparkstaging.init.fetch.FetchFailure;
import io.sparkstaging.init.fetch.HttpFetcher;
import io.sparkstaging.init.place.StagingArea;
import io.sparkstaging.init.verify.ContentRejected;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One run: fetch every dependency in parallel into hidden staging slots, and only when all have
 * checked out, move them into place. The first failure cancels the rest, and the targets are left
 * exactly as they were.
 */
public final class InitRun {
  public static final int OK = 0;
  /** Neither the bundle's fault nor the disk's: out of memory, or a bug. */
  public static final int INTERNAL = 1;
  public static final int CONFIG = 2;
  public static final int FETCH_FAILED = 3;
  public static final int REJECTED = 4;
  public static final int TIMED_OUT = 5;
  public static final int LOCAL_IO = 6;
  private static final int MAX_PARALLEL = 8;
  private static final int MAX_LINE = 1000;

  private final InitConfig config;
  private final PrintStream out;
  private final PrintStream err;
  private boolean createdArchivesDir;
  private boolean committed;

  public InitRun(InitConfig config, PrintStream out, PrintStream err) {
    this.config = config;
    this.out = out;
    this.err = err;
  }

  /** @return the exit code; on failure, the first line on stderr says which dependency and why */
  public int run() {
    List<Dependency> dependencies = dependencies();
    if (dependencies.isEmpty()) {
      out.println("init-container: nothing to fetch");
      return OK;
    }
    preflight(dependencies);
    long started = System.nanoTime();
    var deadline = Deadline.in(config.timeout());
    var fetcher = new DependencyFetcher(new HttpFetcher(TrustContexts.from(config.trust())), config.limits(), deadline);
    Map<Path, StagingArea> areas = new LinkedHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(MAX_PARALLEL, dependencies.size()), runnable -> {
      Thread thread = new Thread(runnable, "fetch");
      thread.setDaemon(true);
      return thread;
    });
    try {
      for (Dependency dependency : dependencies) {
        areas.computeIfAbsent(dependency.targetDir(), InitRun::stagingArea);
      }
      // In a list, not a map keyed by the records: their first hashCode spins method handles, which
      // compete with the fetch's own code for the JIT at every pod's start (docs/benchmarks.md).
      var futures = new ArrayList<Future<DependencyFetcher.Fetched>>();
      for (Dependency dependency : dependencies) {
        StagingArea area = areas.get(dependency.targetDir());
        futures.add(pool.submit(() -> fetchOne(fetcher, dependency, area)));
      }
      for (int i = 0; i < dependencies.size(); i++) {
        Failure failure = await(dependencies.get(i), futures.get(i), deadline);
        if (failure != null) {
          fetcher.cancelAll();
          pool.shutdownNow();
          pool.awaitTermination(5, TimeUnit.SECONDS);
          return report(failure);
        }
      }
      if (!config.archives().isEmpty()) {
        createdArchivesDir = !Files.isDirectory(config.archivesDir());
        Files.createDirectories(config.archivesDir());
        StagingArea unpacked = StagingArea.in(config.archivesDir());
        areas.put(config.archivesDir(), unpacked);
        unpackArchives(areas.get(config.filesDir()), unpacked);
      }
      StagingArea.commitAll(new ArrayList<>(areas.values()));
      committed = true;
      out.println("init-container: " + dependencies.size() + " dependencies in place in " + seconds(System.nanoTime() - started) + " s");
      return OK;
    } catch (ContentRejected e) {
      return report(new Failure("placing dependencies", e, REJECTED));
    } catch (IOException e) {
      return report(new Failure("placing dependencies", e, LOCAL_IO));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return report(new Failure("the run", e, TIMED_OUT));
    } finally {
      pool.shutdownNow();
      for (StagingArea area : areas.values()) {
        try {
          area.close();
        } catch (IOException e) {
          err.println("init-container: could not remove " + area.target() + "/.spark-init-*: " + e.getMessage());
        }
      }
      if (createdArchivesDir && !committed) {
        try {
          Files.deleteIfExists(config.archivesDir());
        } catch (IOException e) {
          err.println("init-container: could not remove " + config.archivesDir() + ": " + e.getMessage());
        }
      }
    }
  }

  /**
   * Each archive is unpacked into a slot of its own in the archives directory (apart from the
   * files, since an archive given without an alias is unpacked under its own name), so that it is
   * placed, or discarded, with everything else.
   */
  private void unpackArchives(StagingArea files, StagingArea unpacked) throws IOException {
    for (ArchiveAlias archive : config.archives()) {
      Path staged = files == null ? null : files.find(archive.name()).orElse(null);
      if (staged == null || !Files.isRegularFile(staged)) {
        throw new ContentRejected("archive '" + archive.name() + "' is not among the files fetched");
      }
      long started = System.nanoTime();
      Path slot = unpacked.newSlot("archive " + archive.name());
      int count = new ArchiveUnpacker(config.limits()).unpack(staged, slot.resolve(archive.alias()));
      out.println("init-container: unpacked " + archive.name() + " into " + archive.alias() + ": " + count + " file(s) in "
          + seconds(System.nanoTime() - started) + " s");
    }
  }

  private DependencyFetcher.Fetched fetchOne(DependencyFetcher fetcher, Dependency dependency, StagingArea area) throws IOException {
    long started = System.nanoTime();
    DependencyFetcher.Fetched fetched = fetcher.fetch(dependency, area.newSlot(dependency.describe()));
    out.println("init-container: fetched " + dependency.describe() + ": " + fetched.files() + " file(s), " + fetched.bytes() + " bytes in "
        + seconds(System.nanoTime() - started) + " s");
    return fetched;
  }

  /**
   * Seconds to two decimals, without {@link java.util.Formatter}, whose first number loads the
   * locale data: 7 ms of a pod's start.
   */
  static String seconds(long nanos) {
    long hundredths = Math.round(nanos / 1e7);
    long fraction = hundredths % 100;
    return hundredths / 100 + (fraction < 10 ? ".0" : ".") + fraction;
  }

  private record Failure(String what, Throwable cause, int exitCode) {}

  private static Failure await(Dependency dependency, Future<DependencyFetcher.Fetched> future, Deadline deadline)
      throws InterruptedException {
    try {
      future.get(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS);
      return null;
    } catch (TimeoutException e) {
      return new Failure(dependency.describe(), new FetchFailure(FetchFailure.Kind.TIMEOUT, "not done within the time limit"), TIMED_OUT);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      return new Failure(dependency.describe(), cause, exitCodeFor(cause));
    }
  }

  static int exitCodeFor(Throwable cause) {
    if (cause instanceof FetchFailure fetch) {
      return fetch.kind() == FetchFailure.Kind.TIMEOUT ? TIMED_OUT : FETCH_FAILED;
    }
    if (cause instanceof ContentRejected) {
      return REJECTED;
    }
    return cause instanceof IOException ? LOCAL_IO : INTERNAL;
  }

  /** Every line printed is one line, and a short one, whatever a name or a server's answer held. */
  private int report(Failure failure) {
    Throwable first = failure.cause();
    String reason = first.getMessage() != null ? first.getMessage() : first.toString();
    if (failure.exitCode() == LOCAL_IO && first.getClass().getPackageName().startsWith("java.nio.file")) {
      // The file system names only the path (NoSuchFileException: /x): say what happened to it.
      reason = first.getClass().getSimpleName() + ": " + reason;
    }
    err.println("init-container: failed: " + OneLine.of(failure.what() + ": " + reason, MAX_LINE));
    for (Throwable cause = first.getCause(); cause != null; cause = cause.getCause()) {
      err.println("  caused by: " + OneLine.of(cause.toString(), MAX_LINE));
    }
    err.println("  nothing was put in place; the target directories are as they were");
    return failure.exitCode();
  }

  private List<Dependency> dependencies() {
    var dependencies = new ArrayList<Dependency>();
    config.stagingServer().ifPresent(server -> {
      config.jars().ifPresent(jars -> dependencies.add(new Dependency.StagedBundle("jars", server, jars, config.jarsDir())));
      config.files().ifPresent(files -> dependencies.add(new Dependency.StagedBundle("files", server, files, config.filesDir())));
    });
    config.remoteJars().forEach(uri -> dependencies.add(new Dependency.RemoteFile("jar", uri, config.jarsDir())));
    config.remoteFiles().forEach(uri -> dependencies.add(new Dependency.RemoteFile("file", uri, config.filesDir())));
    return dependencies;
  }

  /** Everything that can be wrong before the first byte is fetched is a configuration error. */
  private static void preflight(List<Dependency> dependencies) {
    for (Dependency dependency : dependencies) {
      if (!Files.isDirectory(dependency.targetDir())) {
        throw new ConfigException(dependency.describe() + ": target " + dependency.targetDir() + " is not a directory");
      }
      if (dependency instanceof Dependency.StagedBundle bundle) {
        Path secret = bundle.ref().secretFile();
        if (!Files.isRegularFile(secret) || !Files.isReadable(secret)) {
          throw new ConfigException(
              dependency.describe() + ": secret file " + secret + " is missing or unreadable (is the secret mounted?)");
        }
      }
      if (dependency instanceof Dependency.RemoteFile remote && remote.fileName().isEmpty()) {
        throw new ConfigException(dependency.describe() + ": the URI's path does not end in a file name");
      }
    }
  }

  private static StagingArea stagingArea(Path target) {
    try {
      return StagingArea.in(target);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot create a staging directory in " + target, e);
    }
  }
}
