package io.courier.bench.harness;

import java.util.Locale;

/** Number formats shared by the console, the JSON and the HTML report. */
final class Format {

  private Format() {}

  /** 12,345 or 12.3 (below 100). */
  static String number(double v) {
    if (v < 0) {
      return "–";
    }
    return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
  }

  /** Nanoseconds as µs or ms with three significant digits. */
  static String latency(double nanos) {
    if (nanos < 0) {
      return "–";
    }
    double us = nanos / 1000;
    if (us < 1000) {
      return String.format(Locale.ROOT, us < 10 ? "%.2f µs" : us < 100 ? "%.1f µs" : "%.0f µs", us);
    }
    double ms = us / 1000;
    return String.format(Locale.ROOT, ms < 10 ? "%.2f ms" : ms < 100 ? "%.1f ms" : "%.0f ms", ms);
  }

  /** Bytes with a binary unit. */
  static String bytes(double b) {
    if (b < 0) {
      return "–";
    }
    if (b < 1024) {
      return String.format(Locale.ROOT, "%.0f B", b);
    }
    if (b < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", b / 1024);
    }
    return String.format(Locale.ROOT, "%.2f MiB", b / 1024 / 1024);
  }

  /** A ratio as 1.23×. */
  static String ratio(double r) {
    return Double.isNaN(r) ? "–" : String.format(Locale.ROOT, "%.2f×", r);
  }

  /** CPU nanoseconds per call as µs. */
  static String cpu(double nanos) {
    return nanos < 0 ? "–" : String.format(Locale.ROOT, nanos < 10_000 ? "%.1f µs" : "%.0f µs", nanos / 1000);
  }
}
