package io.courier.internal.console;

import io.courier.common.MethodDescriptor;
import io.courier.common.MetricsRecorder;
import io.courier.common.StatusCode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.PackedHistogram;
import org.HdrHistogram.Recorder;

/**
 * The console's own figures: every call the server served, per method, in one-second buckets of which the last
 * {@value #SECONDS} are kept — calls, errors, p50 and p99 latency — plus totals, errors by status and calls in flight.
 * Recording is lock-free (an HdrHistogram {@link Recorder} and adders per method); {@link #tick} closes a second, once
 * a second, from the server's timer; {@link #toJson} reads under each method's lock. Latencies are kept in
 * microseconds with two significant digits, in packed (sparse) histograms, so an idle method costs little. A method
 * appears on its first call.
 */
public final class ConsoleMetrics implements MetricsRecorder {

  /** How many one-second buckets are kept. */
  static final int SECONDS = 60;
  /** The last minute's percentiles come from this many ten-second histograms. */
  private static final int TENS = SECONDS / 10;

  private final Map<MethodDescriptor, MethodStats> byMethod = new ConcurrentHashMap<>();

  @Override
  public void callStarted(Side side, MethodDescriptor method) {
    if (side == Side.SERVER) {
      stats(method).inFlight.incrementAndGet();
    }
  }

  @Override
  public void callCompleted(Side side, MethodDescriptor method, StatusCode code, long durationNanos) {
    if (side == Side.SERVER) {
      stats(method).completed(code, durationNanos);
    }
  }

  private MethodStats stats(MethodDescriptor method) {
    MethodStats stats = byMethod.get(method);
    return stats != null ? stats : byMethod.computeIfAbsent(method, MethodStats::new);
  }

  /** Closes the bucket of {@code epochSecond} (the second that just ended) for every method. */
  public void tick(long epochSecond) {
    for (MethodStats stats : byMethod.values()) {
      stats.tick(epochSecond);
    }
  }

  /**
   * Every method's figures, as {@code GET api/metrics} answers them: {@code now} (the newest closed second) and per
   * method its totals, the last minute and the series of the last {@value #SECONDS} seconds, oldest first.
   */
  public Map<String, Object> toJson(long nowEpochSecond) {
    List<Object> methods = new ArrayList<>();
    List<MethodStats> all = new ArrayList<>(byMethod.values());
    all.sort((a, b) -> a.method.fullName().compareTo(b.method.fullName()));
    for (MethodStats stats : all) {
      methods.add(stats.toJson(nowEpochSecond));
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("now", nowEpochSecond);
    json.put("methods", methods);
    return json;
  }

  /** One method's figures. */
  private static final class MethodStats {
    final MethodDescriptor method;
    final AtomicInteger inFlight = new AtomicInteger();
    final LongAdder calls = new LongAdder();
    final Map<StatusCode, LongAdder> errors = new ConcurrentHashMap<>();
    final Recorder latencyMicros = new Recorder(2, true);
    final AtomicLong secondCalls = new AtomicLong();
    final AtomicLong secondErrors = new AtomicLong();
    // guarded by this
    final long[] bucketSecond = new long[SECONDS];
    final long[] bucketCalls = new long[SECONDS];
    final long[] bucketErrors = new long[SECONDS];
    final double[] bucketP50 = new double[SECONDS];
    final double[] bucketP99 = new double[SECONDS];
    final long[] tenStart = new long[TENS];
    final Histogram[] tens = new Histogram[TENS];
    Histogram interval;

    MethodStats(MethodDescriptor method) {
      this.method = method;
      Arrays.fill(bucketSecond, -1);
      Arrays.fill(tenStart, -1);
      for (int i = 0; i < TENS; i++) {
        tens[i] = new PackedHistogram(2);
      }
    }

    void completed(StatusCode code, long durationNanos) {
      inFlight.decrementAndGet();
      calls.increment();
      secondCalls.incrementAndGet();
      if (code != StatusCode.OK) {
        secondErrors.incrementAndGet();
        errors.computeIfAbsent(code, c -> new LongAdder()).increment();
      }
      latencyMicros.recordValue(Math.max(1, TimeUnit.NANOSECONDS.toMicros(durationNanos)));
    }

    synchronized void tick(long second) {
      interval = latencyMicros.getIntervalHistogram(interval);
      int slot = (int) Math.floorMod(second, (long) SECONDS);
      bucketSecond[slot] = second;
      bucketCalls[slot] = secondCalls.getAndSet(0);
      bucketErrors[slot] = secondErrors.getAndSet(0);
      bucketP50[slot] = millis(interval, 50);
      bucketP99[slot] = millis(interval, 99);
      long ten = Math.floorDiv(second, 10L);
      int tenSlot = (int) Math.floorMod(ten, (long) TENS);
      if (tenStart[tenSlot] != ten) {
        tens[tenSlot].reset();
        tenStart[tenSlot] = ten;
      }
      tens[tenSlot].add(interval);
    }

    synchronized Map<String, Object> toJson(long now) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("service", method.service().name());
      json.put("method", method.name());
      json.put("calls", calls.sum());
      json.put("inFlight", Math.max(0, inFlight.get()));
      Map<StatusCode, Long> byCode = new EnumMap<>(StatusCode.class);
      errors.forEach((code, count) -> byCode.put(code, count.sum()));
      json.put("errors", byCode);
      List<Object> series = new ArrayList<>();
      long minuteCalls = 0;
      long minuteErrors = 0;
      for (long second = now - SECONDS + 1; second <= now; second++) {
        int slot = (int) Math.floorMod(second, (long) SECONDS);
        boolean kept = bucketSecond[slot] == second;
        Map<String, Object> bucket = new LinkedHashMap<>();
        bucket.put("t", second);
        bucket.put("calls", kept ? bucketCalls[slot] : 0L);
        bucket.put("errors", kept ? bucketErrors[slot] : 0L);
        bucket.put("p50Ms", kept ? bucketP50[slot] : 0.0);
        bucket.put("p99Ms", kept ? bucketP99[slot] : 0.0);
        series.add(bucket);
        if (kept) {
          minuteCalls += bucketCalls[slot];
          minuteErrors += bucketErrors[slot];
        }
      }
      Histogram minute = new PackedHistogram(2);
      long newestTen = Math.floorDiv(now, 10L);
      for (int i = 0; i < TENS; i++) {
        if (tenStart[i] > newestTen - TENS) {
          minute.add(tens[i]);
        }
      }
      Map<String, Object> lastMinute = new LinkedHashMap<>();
      lastMinute.put("callsPerSecond", Math.round(minuteCalls * 10.0 / SECONDS) / 10.0);
      lastMinute.put("errors", minuteErrors);
      lastMinute.put("p50Ms", millis(minute, 50));
      lastMinute.put("p99Ms", millis(minute, 99));
      json.put("lastMinute", lastMinute);
      json.put("series", series);
      return json;
    }

    /** The percentile in milliseconds, to the microsecond; 0 for no calls. */
    private static double millis(Histogram micros, double percentile) {
      return micros.getTotalCount() == 0 ? 0.0 : micros.getValueAtPercentile(percentile) / 1000.0;
    }
  }
}
