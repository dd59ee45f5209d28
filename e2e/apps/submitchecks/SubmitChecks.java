package submitchecks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkFiles;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Checks what a spark-submit user expects of --files, --archives and --packages, on the driver and
 * in executor tasks, and, with a seventh argument NAME=VALUE, that the pod templates' environment
 * variable reached the driver and the executors. Args: FILE_NAME EXPECTED_CONTENT ARCHIVE_ALIAS
 * MARKER_PATH MARKER_CONTENT PACKAGE_CLASS [NAME=VALUE].
 */
public final class SubmitChecks {
  public static void main(String[] args) throws Exception {
    String file = args[0], content = args[1], alias = args[2], marker = args[3], markerContent = args[4], packageClass = args[5];
    String env = args.length > 6 ? args[6] : null;
    List<String> failures = new ArrayList<>();
    JavaSparkContext sc = new JavaSparkContext(new SparkConf());
    try {
      String driver = checks(file, content, alias, marker, markerContent, packageClass, true) + envCheck(env);
      System.out.println("SUBMIT-CHECK driver: " + driver);
      if (driver.contains("FAIL")) failures.add("driver: " + driver);
      List<String> tasks = sc.parallelize(IntStream.range(0, 8).boxed().collect(Collectors.toList()), 8).map(i -> {
        Thread.sleep(300);
        return SparkEnv.get().executorId() + ": " + checks(file, content, alias, marker, markerContent, packageClass, false) + envCheck(env);
      }).collect();
      tasks.forEach(t -> System.out.println("SUBMIT-CHECK task " + t));
      tasks.stream().filter(t -> t.contains("FAIL")).forEach(failures::add);
      long executors = tasks.stream().map(t -> t.substring(0, t.indexOf(':'))).distinct().count();
      System.out.println("SUBMIT-CHECK executors=" + executors);
    } finally {
      sc.stop();
    }
    System.out.println(failures.isEmpty() ? "SUBMIT-CHECK-RESULT PASS" : "SUBMIT-CHECK-RESULT FAIL " + failures);
    System.exit(failures.isEmpty() ? 0 : 1);
  }

  static String checks(String file, String content, String alias, String marker, String markerContent, String packageClass, boolean driver)
      throws Exception {
    var out = new StringBuilder();
    out.append(check("SparkFiles.get(" + file + ")", Path.of(SparkFiles.get(file)), content));
    if (driver) {
      out.append(check("./" + file, Path.of(file), content));
    }
    out.append(check("./" + alias + "/" + marker, Path.of(alias, marker), markerContent));
    out.append(check("SparkFiles.get(" + alias + ")/" + marker, Path.of(SparkFiles.get(alias), marker), markerContent));
    try {
      Class.forName(packageClass, true, Thread.currentThread().getContextClassLoader());
      out.append(" [OK package class " + packageClass + "]");
    } catch (ClassNotFoundException e) {
      out.append(" [FAIL package class " + packageClass + " not found]");
    }
    return out.toString();
  }

  static String envCheck(String expected) {
    if (expected == null) {
      return "";
    }
    String name = expected.substring(0, expected.indexOf('='));
    String actual = System.getenv(name);
    return expected.equals(name + "=" + actual) ? " [OK env " + expected + "]" : " [FAIL env " + name + "=" + actual + "]";
  }

  static String check(String what, Path path, String expected) {
    try {
      String actual = Files.readString(path).strip();
      return actual.equals(expected) ? " [OK " + what + "]" : " [FAIL " + what + " holds '" + actual + "']";
    } catch (Exception e) {
      return " [FAIL " + what + ": " + e + "]";
    }
  }
}
