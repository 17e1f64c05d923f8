package io.courier.bench.driver;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads this JVM's resource counters, so that a child can report what a window of calls cost it:
 *
 * <ul>
 *   <li>CPU time of the whole process, user plus system ({@code OperatingSystemMXBean#getProcessCpuTime});
 *   <li>bytes allocated on the heap, summed over every live thread
 *       ({@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}); a thread that ended inside a window is
 *       missed, so drivers keep their threads alive across it.
 * </ul>
 *
 * Bytes on the wire are not counted here: {@code /proc/self/io} misses socket calls such as {@code recvfrom} and
 * {@code writev} that Netty's native transport makes, so the harness reads the kernel's per-socket counters
 * instead.
 */
public final class ProcessMeters {

  private final com.sun.management.OperatingSystemMXBean os;
  private final com.sun.management.ThreadMXBean threads;

  public ProcessMeters() {
    this.os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    this.threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    if (threads.isThreadAllocatedMemorySupported() && !threads.isThreadAllocatedMemoryEnabled()) {
      threads.setThreadAllocatedMemoryEnabled(true);
    }
  }

  /** The counters now. */
  public Snapshot snapshot() {
    long[] ids = threads.getAllThreadIds();
    long[] allocated = threads.getThreadAllocatedBytes(ids);
    Map<Long, Long> byThread = new HashMap<>(ids.length * 2);
    for (int i = 0; i < ids.length; i++) {
      if (allocated[i] >= 0) {
        byThread.put(ids[i], allocated[i]);
      }
    }
    return new Snapshot(System.nanoTime(), os.getProcessCpuTime(), byThread);
  }

  /** Counters at one instant. */
  public record Snapshot(long nanoTime, long cpuNanos, Map<Long, Long> allocatedByThread) {

    /** What happened between {@code earlier} and this snapshot. */
    public Usage since(Snapshot earlier) {
      long allocated = 0;
      for (Map.Entry<Long, Long> e : allocatedByThread.entrySet()) {
        Long before = earlier.allocatedByThread.get(e.getKey());
        allocated += e.getValue() - (before == null ? 0 : before);
      }
      return new Usage(nanoTime - earlier.nanoTime, cpuNanos - earlier.cpuNanos, allocated);
    }
  }

  /** Resources used over a window. */
  public record Usage(long elapsedNanos, long cpuNanos, long allocatedBytes) {

    /** The {@code STATS} line a server child prints. */
    public String format() {
      return "elapsedNs=" + elapsedNanos + " cpuNs=" + cpuNanos + " allocBytes=" + allocatedBytes;
    }
  }
}
