package io.courier.testing.serialization;

import java.util.Arrays;

/** Builds deeply nested input from real encodings of one, two and three nested levels (binary formats). */
public final class Nesting {

  private Nesting() {}

  /**
   * Given encodings of one, two and three nested levels, of the form {@code P S}, {@code P U S} and
   * {@code P U U S}, returns {@code P U...U S} with {@code times} copies of {@code U}.
   */
  public static byte[] repeat(byte[] one, byte[] two, byte[] three, int times) {
    int unit = two.length - one.length;
    for (int p = 0; p <= one.length; p++) {
      byte[] u = Arrays.copyOfRange(two, p, p + unit);
      if (Arrays.equals(join(one, p, u, 1), two) && Arrays.equals(join(one, p, u, 2), three)) {
        return join(one, p, u, times);
      }
    }
    throw new AssertionError("the encodings do not nest by repeating one unit");
  }

  private static byte[] join(byte[] one, int p, byte[] u, int times) {
    byte[] out = new byte[one.length + u.length * times];
    System.arraycopy(one, 0, out, 0, p);
    for (int i = 0; i < times; i++) {
      System.arraycopy(u, 0, out, p + i * u.length, u.length);
    }
    System.arraycopy(one, p, out, p + u.length * times, one.length - p);
    return out;
  }
}
