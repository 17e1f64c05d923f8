package io.courier.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Where scenarios say what happened: each line goes to standard output (the build log) and is appended to
 * {@code target/chaos-results.txt} (or {@code -Dcourier.chaos.resultsFile=...}), the figures docs/RELIABILITY.md
 * quotes.
 */
final class ChaosResults {

  private static final Path FILE = Path.of(System.getProperty("courier.chaos.resultsFile",
      "target/chaos-results.txt"));

  private ChaosResults() {}

  static synchronized void print(String scenario, String line) {
    String text = "[chaos " + ChaosSettings.PROFILE + "] " + scenario + " | " + line;
    System.out.println(text);
    try {
      Files.createDirectories(FILE.toAbsolutePath().getParent());
      Files.writeString(FILE, Instant.now() + " " + text + System.lineSeparator(), StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + FILE.toAbsolutePath(), e);
    }
  }
}
