package io.courier.bench.harness;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The median of some values and their range; NaN when there are none. */
public record Spread(double median, double min, double max, int n) {

  static final Spread NONE = new Spread(Double.NaN, Double.NaN, Double.NaN, 0);

  static Spread of(List<Double> values) {
    List<Double> v = new ArrayList<>();
    for (Double d : values) {
      if (d != null && !d.isNaN() && d >= 0) {
        v.add(d);
      }
    }
    if (v.isEmpty()) {
      return NONE;
    }
    Collections.sort(v);
    int n = v.size();
    double median = n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    return new Spread(median, v.get(0), v.get(n - 1), n);
  }

  boolean known() {
    return n > 0;
  }

  /** "1.23× (1.10–1.40)" for ratios. */
  String ratioText() {
    if (!known()) {
      return "–";
    }
    return n == 1 ? Format.ratio(median) : Format.ratio(median) + " (" + String.format(java.util.Locale.ROOT,
        "%.2f–%.2f", min, max) + ")";
  }
}
