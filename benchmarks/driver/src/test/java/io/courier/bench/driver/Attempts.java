package io.courier.bench.driver;

/**
 * Timing tests on a shared 2-core machine: another process can stall the test JVM for longer than a short window
 * allows, which says nothing about the code. Such a test may run its case up to three times; code that is wrong fails
 * all three.
 */
final class Attempts {

  interface Attempt {
    void run() throws Exception;
  }

  private Attempts() {}

  static void upToThreeTimes(Attempt attempt) throws Exception {
    for (int i = 1; ; i++) {
      try {
        attempt.run();
        return;
      } catch (AssertionError e) {
        if (i == 3) {
          throw e;
        }
      }
    }
  }
}
