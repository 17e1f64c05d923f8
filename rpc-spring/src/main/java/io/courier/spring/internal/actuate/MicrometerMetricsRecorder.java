package io.courier.spring.internal.actuate;

import io.courier.common.MethodDescriptor;
import io.courier.common.MetricsRecorder;
import io.courier.common.StatusCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A {@link MetricsRecorder} on Micrometer. Per side ({@code client}, {@code server}), service and method:
 * <ul>
 *   <li>{@code courier.<side>.calls} — a timer of every finished call, tagged {@code service}, {@code method},
 *       {@code status} (the gRPC status code, {@code OK} on success): call count and latency;</li>
 *   <li>{@code courier.<side>.errors} — a counter of failed calls by {@code status};</li>
 *   <li>{@code courier.<side>.calls.active} — a gauge of calls in flight.</li>
 * </ul>
 * Invariant: meters are looked up once per method and status, never per call.
 */
public final class MicrometerMetricsRecorder implements MetricsRecorder {

  private static final StatusCode[] CODES = StatusCode.values();

  private final MeterRegistry registry;
  private final Map<MethodDescriptor, Meters> client = new ConcurrentHashMap<>();
  private final Map<MethodDescriptor, Meters> server = new ConcurrentHashMap<>();

  public MicrometerMetricsRecorder(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void callStarted(Side side, MethodDescriptor method) {
    meters(side, method).active.incrementAndGet();
  }

  @Override
  public void callCompleted(Side side, MethodDescriptor method, StatusCode code, long durationNanos) {
    Meters m = meters(side, method);
    m.active.decrementAndGet();
    m.timer(code).record(durationNanos, TimeUnit.NANOSECONDS);
    if (code != StatusCode.OK) {
      m.errors(code).increment();
    }
  }

  private Meters meters(Side side, MethodDescriptor method) {
    Map<MethodDescriptor, Meters> bySide = side == Side.CLIENT ? client : server;
    Meters m = bySide.get(method);
    return m != null ? m : bySide.computeIfAbsent(method, md -> new Meters(side, md));
  }

  /** One method's meters on one side; timers and counters made on first use of each status. */
  private final class Meters {
    final String prefix;
    final Tags tags;
    final AtomicInteger active = new AtomicInteger();
    final AtomicReferenceArray<Timer> timers = new AtomicReferenceArray<>(CODES.length);
    final AtomicReferenceArray<Counter> errors = new AtomicReferenceArray<>(CODES.length);

    Meters(Side side, MethodDescriptor method) {
      this.prefix = "courier." + side.name().toLowerCase(Locale.ROOT);
      this.tags = Tags.of("service", method.service().name(), "method", method.name());
      Gauge.builder(prefix + ".calls.active", active, AtomicInteger::get).tags(tags)
          .description("Courier calls in flight").strongReference(true).register(registry);
    }

    Timer timer(StatusCode code) {
      Timer t = timers.get(code.ordinal());
      if (t == null) {
        t = Timer.builder(prefix + ".calls").tags(tags).tag("status", code.name())
            .description("Courier calls, by outcome").register(registry);
        timers.set(code.ordinal(), t);
      }
      return t;
    }

    Counter errors(StatusCode code) {
      Counter c = errors.get(code.ordinal());
      if (c == null) {
        c = Counter.builder(prefix + ".errors").tags(tags).tag("status", code.name())
            .description("Courier calls that failed, by status").register(registry);
        errors.set(code.ordinal(), c);
      }
      return c;
    }
  }
}
