package io.sparkstaging.server.download;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many downloads may stream at once. Each holds one pooled direct buffer for as long as its
 * client is slow to take the bytes (a client that never reads holds it until the idle timeout),
 * so this bound is what keeps direct memory, which every download and upload shares, from
 * running out.
 */
public final class DownloadSlots {
  /** Fewer would refuse ordinary fan-outs on a small heap. */
  private static final int MIN_AUTO = 16;

  private final int max;
  private final AtomicInteger inUse = new AtomicInteger();

  public DownloadSlots(int max) {
    this.max = max;
  }

  /** As many as half the JVM's direct memory holds at one buffer each: the other half stays for uploads and TLS. */
  public static DownloadSlots sizedForDirectMemory(int bufferSize) {
    return new DownloadSlots((int) Math.max(MIN_AUTO, Math.min(Integer.MAX_VALUE, maxDirectMemory() / 2 / bufferSize)));
  }

  /** {@code -XX:MaxDirectMemorySize}, which defaults to the maximum heap. */
  static long maxDirectMemory() {
    var diagnostics = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    long configured = diagnostics == null ? 0 : Long.parseLong(diagnostics.getVMOption("MaxDirectMemorySize").getValue());
    return configured > 0 ? configured : Runtime.getRuntime().maxMemory();
  }

  public int max() {
    return max;
  }

  public int inUse() {
    return inUse.get();
  }

  boolean tryAcquire() {
    while (true) {
      int current = inUse.get();
      if (current >= max) {
        return false;
      }
      if (inUse.compareAndSet(current, current + 1)) {
        return true;
      }
    }
  }

  void release() {
    inUse.decrementAndGet();
  }
}
