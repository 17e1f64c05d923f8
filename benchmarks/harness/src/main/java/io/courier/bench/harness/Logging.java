package io.courier.bench.harness;

/**
 * Keeps the embedded ZooKeeper quiet on the console: it logs every session and every connection the halted child
 * JVMs leave behind. Sets slf4j-simple's levels (the harness's logger) unless the command line set them.
 */
final class Logging {

  private Logging() {}

  static void quietZooKeeper() {
    setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    setIfAbsent("org.slf4j.simpleLogger.log.org.apache.zookeeper", "error");
    setIfAbsent("org.slf4j.simpleLogger.log.org.apache.curator", "error");
    setIfAbsent("org.slf4j.simpleLogger.log.io.courier.registry", "warn");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
