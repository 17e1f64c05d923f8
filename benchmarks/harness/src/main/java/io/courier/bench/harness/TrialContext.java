package io.courier.bench.harness;

import java.nio.file.Path;

/** What every trial of a run shares: how to launch JVMs, how to count wire bytes, where files go. */
record TrialContext(JvmLauncher launcher, WireCounter wire, Path systemsDir, Path outputDir, String registry) {

  Path logs() {
    return outputDir.resolve("logs");
  }

  Path hlogs() {
    return outputDir.resolve("hlog");
  }
}
