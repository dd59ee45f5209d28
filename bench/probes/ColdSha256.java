import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * How long a cold JVM takes to hash files with SHA-256 as the client hashes them (a 1 MiB direct
 * buffer per read), one figure per file in milliseconds, the first including the security
 * providers' set-up. Compiled ahead, not run from source, so that no compiler's warm-up comes first;
 * with -XX:+PrintCompilation it shows which of SHA-256's methods C1 and C2 compile, and when:
 *
 * <pre>
 * javac -d /tmp/probes bench/probes/ColdSha256.java
 * java -XX:CompileThresholdScaling=4 -XX:+PrintCompilation -cp /tmp/probes ColdSha256 FILE... | grep -E 'SHA2::|^[0-9.]+ '
 * java -XX:CompileThresholdScaling=4 -XX:CompileCommand=quiet \
 *   -XX:CompileCommand=CompileThresholdScaling,sun.security.provider.SHA2::implCompress,0.01 \
 *   -XX:+PrintCompilation -cp /tmp/probes ColdSha256 FILE... | grep -E 'SHA2::|^[0-9.]+ '
 * </pre>
 */
public final class ColdSha256 {
  public static void main(String[] files) throws Exception {
    ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
    var times = new StringBuilder();
    for (String file : files) {
      long start = System.nanoTime();
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      try (FileChannel channel = FileChannel.open(Path.of(file))) {
        while (channel.read(buffer.clear()) >= 0) {
          digest.update(buffer.flip());
        }
      }
      digest.digest();
      times.append(String.format("%.1f ", (System.nanoTime() - start) / 1e6));
    }
    System.out.println(times.toString().trim());
  }
}
