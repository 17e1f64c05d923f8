package io.courier.bench.harness;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds {@code benchmarks/systems}, whose modules hold the system jars. */
final class SystemsDir {

  static final String PROPERTY = "courier.bench.systemsDir";

  private SystemsDir() {}

  /**
   * The folder given, else the system property {@value #PROPERTY}, else {@code benchmarks/systems} found from
   * the working directory or from where the harness's classes are, walking up.
   *
   * @throws IllegalStateException saying how to build the jars when none is found
   */
  static Path locate(Path given) {
    if (given != null) {
      return given.toAbsolutePath().normalize();
    }
    String property = System.getProperty(PROPERTY);
    if (property != null) {
      return Path.of(property).toAbsolutePath().normalize();
    }
    Path found = search(Path.of("").toAbsolutePath());
    if (found == null) {
      try {
        found = search(Path.of(SystemsDir.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
      } catch (URISyntaxException | RuntimeException e) {
        found = null;
      }
    }
    if (found == null) {
      throw new IllegalStateException("cannot find benchmarks/systems; run from the repository, or pass "
          + "--systems-dir");
    }
    return found;
  }

  private static Path search(Path start) {
    for (Path p = start; p != null; p = p.getParent()) {
      Path candidate = p.resolve("benchmarks").resolve("systems");
      if (Files.isDirectory(candidate)) {
        return candidate.normalize();
      }
      if (p.getFileName() != null && p.getFileName().toString().equals("benchmarks")
          && Files.isDirectory(p.resolve("systems"))) {
        return p.resolve("systems").normalize();
      }
    }
    return null;
  }
}
