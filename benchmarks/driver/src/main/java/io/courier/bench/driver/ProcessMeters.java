package io.courier.bench.driver;

import java.lang.management.CompilationMXBean;
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
 *       missed, so drivers keep their threads alive across it;
 *   <li>time the JIT compilers spent compiling ({@code CompilationMXBean#getTotalCompilationTime}; -1 where the JVM
 *       does not say), which tells a JVM still compiling its hot paths from a warm one.
 * </ul>
 *
 * Bytes on the wire are not counted here: {@code /proc/self/io} misses socket calls such as {@code recvfrom} and
 * {@code writev} that Netty's native transport makes, so the harness reads the kernel's per-socket counters
 * instead.
 */
public final class ProcessMeters {

  private final com.sun.management.OperatingSystemMXBean os;
  private final com.sun.management.ThreadMXBean threads;
  private final CompilationMXBean jit;

  public ProcessMeters() {
    this.os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    this.threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    if (threads.isThreadAllocatedMemorySupported() && !threads.isThreadAllocatedMemoryEnabled()) {
      threads.setThreadAllocatedMemoryEnabled(true);
    }
    CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
    this.jit = compiler != null && compiler.isCompilationTimeMonitoringSupported() ? compiler : null;
  }

  /** Milliseconds the JIT compilers have spent compiling since the JVM started, or -1 where unknown. */
  public long jitMillis() {
    return jit == null ? -1 : jit.getTotalCompilationTime();
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
    return new Snapshot(System.nanoTime(), os.getProcessCpuTime(), byThread, jitMillis());
  }

  /** Counters at one instant. */
  public record Snapshot(long nanoTime, long cpuNanos, Map<Long, Long> allocatedByThread, long jitMillis) {

    /** What happened between {@code earlier} and this snapshot. */
    public Usage since(Snapshot earlier) {
      long allocated = 0;
      for (Map.Entry<Long, Long> e : allocatedByThread.entrySet()) {
        Long before = earlier.allocatedByThread.get(e.getKey());
        allocated += e.getValue() - (before == null ? 0 : before);
      }
      return new Usage(nanoTime - earlier.nanoTime, cpuNanos - earlier.cpuNanos, allocated,
          jitMillis < 0 || earlier.jitMillis < 0 ? -1 : jitMillis - earlier.jitMillis);
    }
  }

  /** Resources used over a window; {@code jitMillis} is -1 where unknown. */
  public record Usage(long elapsedNanos, long cpuNanos, long allocatedBytes, long jitMillis) {

    /** The {@code STATS} line a server child prints. */
    public String format() {
      return "elapsedNs=" + elapsedNanos + " cpuNs=" + cpuNanos + " allocBytes=" + allocatedBytes + " jitMs="
          + jitMillis;
    }
  }
}
