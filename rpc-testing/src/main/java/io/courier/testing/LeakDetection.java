package io.courier.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Turns Netty's leak reports into test failures. The launcher listener installs a leak detector factory that
 * records every report before any test touches a buffer; the Jupiter extension (auto-detected in every module
 * that depends on courier-testing) forces a collection after each test class, makes the detectors drain
 * their queues, and fails the class if anything leaked while it ran. The build runs the detector at
 * {@code paranoid} level, so every buffer is tracked.
 */
public final class LeakDetection implements LauncherSessionListener, BeforeAllCallback, AfterAllCallback {

  private static final List<String> LEAKS = new ArrayList<>(); // guarded by itself
  private static volatile boolean installed;

  /** Installs the recording factory; idempotent. Called when the test launcher opens its session. */
  public static void install() {
    synchronized (LEAKS) {
      if (installed) {
        return;
      }
      ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
      installed = true;
    }
  }

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    install();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    drain();
    synchronized (LEAKS) {
      LEAKS.clear();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (!installed || ResourceLeakDetector.getLevel() == ResourceLeakDetector.Level.DISABLED) {
      return;
    }
    drain();
    List<String> leaks;
    synchronized (LEAKS) {
      leaks = new ArrayList<>(LEAKS);
      LEAKS.clear();
    }
    if (!leaks.isEmpty()) {
      throw new AssertionError(leaks.size() + " Netty buffer leak(s) reported while "
          + context.getDisplayName() + " ran:\n" + String.join("\n\n", leaks));
    }
  }

  /** Collects garbage, then allocates tracked buffers so that every detector polls its reference queue. */
  private static void drain() {
    for (int round = 0; round < 2; round++) {
      System.gc();
      try {
        Thread.sleep(20); // let the reference handler enqueue what the collection found
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      for (int i = 0; i < 16; i++) {
        ByteBuf pooled = PooledByteBufAllocator.DEFAULT.buffer(1);
        pooled.release();
        ByteBuf direct = UnpooledByteBufAllocator.DEFAULT.directBuffer(1);
        direct.release();
        ByteBuf heap = UnpooledByteBufAllocator.DEFAULT.heapBuffer(1);
        heap.release();
      }
    }
  }

  private static final class RecordingFactory extends ResourceLeakDetectorFactory {
    @Override
    @SuppressWarnings("deprecation")
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
        long maxActive) {
      return new RecordingDetector<>(resource, samplingInterval);
    }

    @Override
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval) {
      return new RecordingDetector<>(resource, samplingInterval);
    }
  }

  private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
    RecordingDetector(Class<T> resource, int samplingInterval) {
      super(resource, samplingInterval);
    }

    @Override
    protected boolean needReport() {
      return true; // record even when the logger would drop the report
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
      synchronized (LEAKS) {
        LEAKS.add("LEAK: " + resourceType + records);
      }
      super.reportTracedLeak(resourceType, records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
      synchronized (LEAKS) {
        LEAKS.add("LEAK: " + resourceType + " (no records)");
      }
      super.reportUntracedLeak(resourceType);
    }
  }
}
