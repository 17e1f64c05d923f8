package io.courier.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;

/** What a run was, for the reports: when, where, how, and with what it was started. */
record RunInfo(OffsetDateTime started, String mode, String arguments, String jvm, String os, int cores,
    String cpuModel, String pinning, List<String> jvmFlags, String heap, long seed, String reference, int rounds,
    String trialScope, String warmup, String measure, String wireMethod, List<String> notes) {

  static String readCpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return System.getProperty("os.arch");
  }
}
