package io.courier.bench.harness;

import java.util.List;
import java.util.Locale;

/** Inline SVG charts for the HTML report: horizontal bars with whiskers, stacked bars, percentile curves. */
final class Svg {

  /** A bar: {@code value} drawn, {@code min}..{@code max} as a whisker (NaN: none), {@code text} beside it. */
  record Bar(String label, double value, double min, double max, String color, String text) {}

  /** A stacked bar of two parts. */
  record Stack(String label, double first, double second, String text) {}

  /** One line of a percentile chart: (percentile, nanoseconds) points. */
  record Series(String name, String color, List<double[]> points) {}

  static final String[] PALETTE = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
      "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#ad494a"};

  private static final int WIDTH = 820;
  private static final int LABEL = 200;
  private static final int TEXT = 190;
  private static final int ROW = 24;

  private Svg() {}

  /**
   * Horizontal bars. {@code scaleMax} fixes the end of the axis (values beyond it are drawn clipped, marked with
   * a jagged end); 0 or less scales to the largest value. {@code reference} draws a dashed line (0 or less: none).
   */
  static String bars(List<Bar> bars, String axis, double reference, double scaleMax) {
    double top = scaleMax;
    if (top <= 0) {
      for (Bar b : bars) {
        top = Math.max(top, Double.isNaN(b.max()) ? b.value() : Math.max(b.value(), b.max()));
      }
    }
    top = top <= 0 ? 1 : top * 1.05;
    int plot = WIDTH - LABEL - TEXT;
    int height = bars.size() * ROW + 30;
    StringBuilder s = new StringBuilder(open(height));
    for (int i = 0; i < bars.size(); i++) {
      Bar b = bars.get(i);
      int y = 6 + i * ROW;
      boolean clipped = b.value() > top;
      double w = Math.min(plot, Math.max(0, b.value()) / top * plot);
      s.append(text(LABEL - 8, y + 15, "end", b.label()));
      s.append(String.format(Locale.ROOT,
          "<rect x='%d' y='%d' width='%.1f' height='16' fill='%s'><title>%s: %s</title></rect>", LABEL, y + 2, w,
          b.color(), esc(b.label()), esc(b.text())));
      if (clipped) {
        double x = LABEL + w;
        s.append(String.format(Locale.ROOT, "<path d='M%.1f %d l-6 4 l6 4 l-6 4 l6 4' stroke='white' stroke-width='2'"
            + " fill='none'/>", x - 4, y + 2));
      }
      if (!clipped && !Double.isNaN(b.min()) && !Double.isNaN(b.max()) && b.max() > b.min()) {
        double x1 = LABEL + b.min() / top * plot;
        double x2 = LABEL + Math.min(top, b.max()) / top * plot;
        s.append(String.format(Locale.ROOT, "<path d='M%.1f %d V%d M%.1f %d H%.1f M%.1f %d V%d' stroke='#222' "
            + "stroke-width='1.5' fill='none'/>", x1, y + 4, y + 16, x1, y + 10, x2, x2, y + 4, y + 16));
      }
      s.append(text(LABEL + plot + 8, y + 15, "start", b.text()));
    }
    int axisY = 6 + bars.size() * ROW;
    s.append(String.format(Locale.ROOT, "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#999'/>", LABEL, axisY,
        LABEL + plot, axisY));
    if (reference > 0 && reference < top) {
      double x = LABEL + reference / top * plot;
      s.append(String.format(Locale.ROOT, "<line x1='%.1f' y1='2' x2='%.1f' y2='%d' stroke='#555' "
          + "stroke-dasharray='4 3'/>", x, x, axisY));
    }
    s.append(text(LABEL, axisY + 16, "start", "0"));
    s.append(text(LABEL + plot, axisY + 16, "end", Format.number(top) + " " + axis));
    return s.append("</svg>").toString();
  }

  static String stacked(List<Stack> stacks, String firstName, String secondName, String axis) {
    double top = 0;
    for (Stack st : stacks) {
      top = Math.max(top, Math.max(0, st.first()) + Math.max(0, st.second()));
    }
    top = top <= 0 ? 1 : top * 1.05;
    int plot = WIDTH - LABEL - TEXT;
    int height = stacks.size() * ROW + 48;
    StringBuilder s = new StringBuilder(open(height));
    for (int i = 0; i < stacks.size(); i++) {
      Stack st = stacks.get(i);
      int y = 6 + i * ROW;
      double w1 = Math.max(0, st.first()) / top * plot;
      double w2 = Math.max(0, st.second()) / top * plot;
      s.append(text(LABEL - 8, y + 15, "end", st.label()));
      s.append(String.format(Locale.ROOT, "<rect x='%d' y='%d' width='%.1f' height='16' fill='%s'/>", LABEL, y + 2,
          w1, PALETTE[0]));
      s.append(String.format(Locale.ROOT, "<rect x='%.1f' y='%d' width='%.1f' height='16' fill='%s'/>", LABEL + w1,
          y + 2, w2, PALETTE[1]));
      s.append(text(LABEL + plot + 8, y + 15, "start", st.text()));
    }
    int axisY = 6 + stacks.size() * ROW;
    s.append(text(LABEL, axisY + 16, "start", "0"));
    s.append(text(LABEL + plot, axisY + 16, "end", Format.number(top) + " " + axis));
    s.append(String.format(Locale.ROOT, "<rect x='%d' y='%d' width='12' height='12' fill='%s'/>", LABEL, axisY + 26,
        PALETTE[0]));
    s.append(text(LABEL + 16, axisY + 36, "start", firstName));
    s.append(String.format(Locale.ROOT, "<rect x='%d' y='%d' width='12' height='12' fill='%s'/>", LABEL + 120,
        axisY + 26, PALETTE[1]));
    s.append(text(LABEL + 136, axisY + 36, "start", secondName));
    return s.append("</svg>").toString();
  }

  /**
   * Latency against percentile: x on a "nines" scale (-log10(1 - p)), so 90, 99, 99.9 and 99.99 are evenly
   * spaced; y logarithmic.
   */
  static String percentiles(List<Series> series) {
    int left = 70;
    int right = 200;
    int topPad = 10;
    int plotW = WIDTH - left - right;
    int plotH = 260;
    double minY = Double.MAX_VALUE;
    double maxY = 0;
    for (Series se : series) {
      for (double[] p : se.points()) {
        if (p[1] > 0) {
          minY = Math.min(minY, p[1]);
          maxY = Math.max(maxY, p[1]);
        }
      }
    }
    if (maxY <= 0) {
      return "<p>no latency data</p>";
    }
    double lo = Math.floor(Math.log10(minY / 1000));
    double hi = Math.ceil(Math.log10(maxY / 1000));
    if (hi <= lo) {
      hi = lo + 1;
    }
    double maxX = 4;
    StringBuilder s = new StringBuilder(open(plotH + topPad + 40));
    for (int d = (int) lo; d <= hi; d++) {
      double y = topPad + plotH - (d - lo) / (hi - lo) * plotH;
      s.append(String.format(Locale.ROOT, "<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#e4e4e4'/>", left, y,
          left + plotW, y));
      s.append(text(left - 6, (int) y + 4, "end", Format.latency(Math.pow(10, d) * 1000)));
    }
    String[] names = {"0", "90", "99", "99.9", "99.99"};
    for (int k = 0; k <= 4; k++) {
      double x = left + k / maxX * plotW;
      s.append(String.format(Locale.ROOT, "<line x1='%.1f' y1='%d' x2='%.1f' y2='%d' stroke='#e4e4e4'/>", x, topPad,
          x, topPad + plotH));
      s.append(text((int) x, topPad + plotH + 16, "middle", names[k] + (k == 0 ? "" : "%")));
    }
    s.append(text(left + plotW / 2, topPad + plotH + 34, "middle", "percentile"));
    int legendY = topPad + 6;
    for (Series se : series) {
      StringBuilder path = new StringBuilder();
      for (double[] p : se.points()) {
        if (p[1] <= 0 || p[0] > 99.99) {
          continue;
        }
        double x = left + Math.min(maxX, -Math.log10(1 - p[0] / 100)) / maxX * plotW;
        double y = topPad + plotH - (Math.log10(p[1] / 1000) - lo) / (hi - lo) * plotH;
        path.append(path.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", x, y));
      }
      s.append(String.format(Locale.ROOT, "<path d='%s' stroke='%s' stroke-width='2' fill='none'><title>%s</title>"
          + "</path>", path, se.color(), esc(se.name())));
      s.append(String.format(Locale.ROOT, "<rect x='%d' y='%d' width='12' height='3' fill='%s'/>", left + plotW + 12,
          legendY - 4, se.color()));
      s.append(text(left + plotW + 30, legendY, "start", se.name()));
      legendY += 16;
    }
    return s.append("</svg>").toString();
  }

  private static String open(int height) {
    return "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 " + WIDTH + " " + height + "' width='" + WIDTH
        + "' height='" + height + "' font-family='sans-serif' font-size='12'>";
  }

  private static String text(int x, int y, String anchor, String text) {
    return "<text x='" + x + "' y='" + y + "' text-anchor='" + anchor + "'>" + esc(text) + "</text>";
  }

  static String esc(String s) {
    return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;")
        .replace("\"", "&quot;");
  }
}
