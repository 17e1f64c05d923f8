package io.courier.registry.zookeeper;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Courier reports ZooKeeper connectivity itself (one line per state change); this turns ZooKeeper's and Curator's
 * own loggers down to the levels docs/registry.md states, once per JVM, so that an outage is a few lines instead of a
 * warning with a stack trace per reconnection attempt, and the embedded server starts without its hundred INFO lines.
 *
 * <p>Invariant: a logger the application configured — it, or an ancestor below the root — is never touched. Works
 * with Logback, Log4j 2, java.util.logging (slf4j-jdk14) and slf4j-simple; with any other SLF4J backend it changes
 * nothing and the docs give the configuration. {@code -Dcourier.zookeeper.logs=as-configured} turns it off.
 */
final class ZooKeeperLogLevels {

  static final String SWITCH = "courier.zookeeper.logs";
  /** Curator's own switch: its connection-loss errors ("Background operation retry gave up") are not logged. */
  static final String CURATOR_CONNECTION_PROBLEMS = "curator-dont-log-connection-problems";
  /** Logger name to level: ancestors first. */
  static final Map<String, String> LEVELS = levels();

  private static final Logger log = LoggerFactory.getLogger(ZooKeeperLogLevels.class);
  private static final AtomicBoolean applied = new AtomicBoolean();
  private static final List<Object> keep = new ArrayList<>(); // java.util.logging holds its loggers weakly

  private ZooKeeperLogLevels() {}

  private static Map<String, String> levels() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("org.apache.zookeeper", "WARN");
    m.put("org.apache.zookeeper.ClientCnxn", "ERROR"); // a WARN and a stack trace per reconnection attempt
    m.put("org.apache.curator", "WARN");
    m.put("org.apache.curator.ConnectionState", "ERROR"); // session and connection timeouts, as Courier reports
    m.put("org.apache.curator.framework.state.ConnectionStateManager", "ERROR");
    return m;
  }

  /** Applies the levels unless turned off or done before in this JVM. */
  static void apply() {
    if ("as-configured".equals(System.getProperty(SWITCH)) || !applied.compareAndSet(false, true)) {
      return;
    }
    if (System.getProperty(CURATOR_CONNECTION_PROBLEMS) == null) {
      System.setProperty(CURATOR_CONNECTION_PROBLEMS, "true");
    }
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    String backend = factory.getClass().getName();
    try {
      switch (backend) {
        case "ch.qos.logback.classic.LoggerContext" -> logback();
        case "org.apache.logging.slf4j.Log4jLoggerFactory" -> log4j();
        case "org.slf4j.jul.JDK14LoggerFactory" -> jul();
        case "org.slf4j.simple.SimpleLoggerFactory" -> simple(factory);
        default -> log.debug("ZooKeeper's and Curator's log levels left as they are: {} is not a backend Courier"
            + " knows; docs/registry.md gives the configuration", backend);
      }
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      log.debug("could not set ZooKeeper's and Curator's log levels on {}", backend, e);
    }
  }

  /** The names a rule must not override: the rule's own name and its ancestors below the root, up to its prefix. */
  private static List<String> selfAndAncestors(String name) {
    List<String> names = new ArrayList<>();
    for (String n = name; !n.isEmpty(); n = n.contains(".") ? n.substring(0, n.lastIndexOf('.')) : "") {
      names.add(n);
    }
    return names;
  }

  private interface Explicit {
    boolean configured(String name) throws ReflectiveOperationException;
  }

  private static boolean userConfigured(String name, Explicit explicit) throws ReflectiveOperationException {
    for (String n : selfAndAncestors(name)) {
      if (explicit.configured(n)) {
        return true;
      }
    }
    return false;
  }

  private static void logback() throws ReflectiveOperationException {
    Class<?> levelClass = Class.forName("ch.qos.logback.classic.Level");
    Method toLevel = levelClass.getMethod("toLevel", String.class);
    Map<String, Boolean> explicit = new LinkedHashMap<>();
    for (String name : LEVELS.keySet()) {
      Object logger = LoggerFactory.getLogger(name);
      explicit.put(name, logger.getClass().getMethod("getLevel").invoke(logger) != null);
    }
    for (Map.Entry<String, String> rule : LEVELS.entrySet()) {
      if (!userConfigured(rule.getKey(), n -> explicit.getOrDefault(n, levelOf(n) != null))) {
        Object logger = LoggerFactory.getLogger(rule.getKey());
        logger.getClass().getMethod("setLevel", levelClass).invoke(logger, toLevel.invoke(null, rule.getValue()));
      }
    }
  }

  private static Object levelOf(String name) throws ReflectiveOperationException {
    Object logger = LoggerFactory.getLogger(name);
    return logger.getClass().getMethod("getLevel").invoke(logger);
  }

  private static void log4j() throws ReflectiveOperationException {
    Object context = Class.forName("org.apache.logging.log4j.LogManager").getMethod("getContext", boolean.class)
        .invoke(null, false);
    Object configuration = context.getClass().getMethod("getConfiguration").invoke(context);
    Map<?, ?> configured = (Map<?, ?>) configuration.getClass().getMethod("getLoggers").invoke(configuration);
    Map<String, Boolean> explicit = new LinkedHashMap<>();
    LEVELS.keySet().forEach(name -> explicit.put(name, configured.containsKey(name)));
    Class<?> levelClass = Class.forName("org.apache.logging.log4j.Level");
    Method setLevel = Class.forName("org.apache.logging.log4j.core.config.Configurator")
        .getMethod("setLevel", String.class, levelClass);
    for (Map.Entry<String, String> rule : LEVELS.entrySet()) {
      if (!userConfigured(rule.getKey(), n -> explicit.getOrDefault(n, configured.containsKey(n)))) {
        setLevel.invoke(null, rule.getKey(), levelClass.getMethod("toLevel", String.class).invoke(null,
            rule.getValue()));
      }
    }
  }

  private static void jul() throws ReflectiveOperationException {
    Map<String, Boolean> explicit = new LinkedHashMap<>();
    LEVELS.keySet().forEach(name -> explicit.put(name, java.util.logging.Logger.getLogger(name).getLevel() != null));
    for (Map.Entry<String, String> rule : LEVELS.entrySet()) {
      if (!userConfigured(rule.getKey(), n -> explicit.getOrDefault(n,
          java.util.logging.Logger.getLogger(n).getLevel() != null))) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(rule.getKey());
        logger.setLevel(rule.getValue().equals("ERROR") ? Level.SEVERE
            : Level.WARNING);
        synchronized (keep) {
          keep.add(logger);
        }
      }
    }
  }

  /**
   * slf4j-simple fixes a logger's level when the logger is made, from {@code org.slf4j.simpleLogger.log.<name>}
   * (a system property, else simplelogger.properties): the rules become such system properties for loggers made
   * later, and loggers made already get their level set.
   */
  private static void simple(ILoggerFactory factory) throws ReflectiveOperationException {
    Class<?> simpleLogger = Class.forName("org.slf4j.simple.SimpleLogger");
    Field configField = simpleLogger.getDeclaredField("CONFIG_PARAMS");
    configField.setAccessible(true);
    Object config = configField.get(null);
    Method property = config.getClass().getDeclaredMethod("getStringProperty", String.class);
    property.setAccessible(true);
    Explicit explicit = n -> property.invoke(config, "org.slf4j.simpleLogger.log." + n) != null;
    Map<String, String> rules = new LinkedHashMap<>();
    for (Map.Entry<String, String> rule : LEVELS.entrySet()) {
      if (!userConfigured(rule.getKey(), explicit)) {
        rules.put(rule.getKey(), rule.getValue());
      }
    }
    rules.forEach((name, level) -> System.setProperty("org.slf4j.simpleLogger.log." + name, level.toLowerCase()));
    Field mapField = factory.getClass().getDeclaredField("loggerMap");
    mapField.setAccessible(true);
    Field levelField = simpleLogger.getDeclaredField("currentLogLevel");
    levelField.setAccessible(true);
    for (Map.Entry<?, ?> made : ((Map<?, ?>) mapField.get(factory)).entrySet()) {
      String name = (String) made.getKey();
      String level = null;
      for (String n : selfAndAncestors(name)) {
        if (explicit.configured(n) && !rules.containsKey(n)) {
          break; // the application's own setting for this logger or a nearer ancestor
        }
        if (rules.containsKey(n)) {
          level = rules.get(n);
          break;
        }
      }
      if (level != null && simpleLogger.isInstance(made.getValue())) {
        levelField.setInt(made.getValue(), level.equals("ERROR") ? 40 : 30);
      }
    }
  }
}
