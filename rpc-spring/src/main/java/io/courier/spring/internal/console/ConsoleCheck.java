package io.courier.spring.internal.console;

import io.courier.spring.internal.CourierConfigurationException;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Refuses to start when {@code courier.server.console.enabled} is set and nothing would serve the console: no server
 * ({@code courier.server.enabled=false}), an application that is not a servlet web application, an actuator whose
 * HTTP endpoints are off ({@code management.server.port=-1}), or a servlet container that applies forwarded headers
 * itself without {@code allow-remote} (no caller would pass for a loopback one). An application without services
 * fails in {@code ServerLifecycle}, which finds them. A {@link SmartInitializingSingleton}, so lazy initialization does
 * not skip it. Invariant: {@code notServed} is {@code null} exactly when the application is a servlet web application.
 */
public final class ConsoleCheck implements SmartInitializingSingleton {

  private static final String ENABLED = "courier.server.console.enabled";
  private static final String ACTUATOR = "org.springframework.boot.actuate.autoconfigure.web.ManagementContextType";

  private final Environment environment;
  private final String notServed;

  private ConsoleCheck(Environment environment, String notServed) {
    this.environment = environment;
    this.notServed = notServed;
  }

  /** The check of a servlet web application. */
  public static ConsoleCheck servletWebApplication(Environment environment) {
    return new ConsoleCheck(environment, null);
  }

  /** The check of any other application, {@code context} naming what it is. */
  public static ConsoleCheck otherApplication(Environment environment, Object context) {
    String why;
    if (!ClassUtils.isPresent("jakarta.servlet.http.HttpServlet", ConsoleCheck.class.getClassLoader())) {
      why = "the console is served by a servlet web application, and the servlet API (jakarta.servlet) is not on"
          + " the class path";
    } else {
      String type = environment.getProperty("spring.main.web-application-type");
      why = "the console is served by a servlet web application, and this application is not one ("
          + (type != null ? "spring.main.web-application-type = " + type : context.getClass().getSimpleName()) + ")";
    }
    return new ConsoleCheck(environment, why);
  }

  @Override
  public void afterSingletonsInstantiated() {
    if (!environment.getProperty("courier.server.enabled", Boolean.class, true)) {
      throw new CourierConfigurationException("courier.server.enabled", false, "there is no Courier server, so no"
          + " console to serve (" + ENABLED + " is true)", "Set courier.server.enabled=true, or "
          + ENABLED + "=false.", null);
    }
    if (notServed != null) {
      throw new CourierConfigurationException(ENABLED, true, notServed, "Serve it from a servlet web application"
          + " (spring-boot-starter-webmvc, say), where it is at ${management.endpoints.web.base-path}/courier/console/;"
          + " or set " + ENABLED + "=false.", null);
    }
    if (ConsoleServlet.containerAppliesForwardedHeaders(environment)
        && !environment.getProperty("courier.server.console.allow-remote", Boolean.class, false)) {
      String strategy = environment.getProperty("server.forward-headers-strategy");
      throw new CourierConfigurationException("courier.server.console.allow-remote", false, "the servlet container"
          + " takes callers' addresses from forwarded headers (" + (strategy != null
              ? "server.forward-headers-strategy = " + strategy : "on this cloud platform, as Spring Boot decides")
          + ") and removes the header, so the console cannot tell a caller on this host from one a proxy relayed,"
          + " and would answer nobody (it answers loopback callers only)", "Set courier.server.console.allow-remote="
          + "true with courier.server.auth.tokens (every caller then needs a token), or"
          + " server.forward-headers-strategy=framework (Spring's filter, which the console sees through), or "
          + ENABLED + "=false.", null);
    }
    Integer managementPort = environment.getProperty("management.server.port", Integer.class);
    if (managementPort != null && managementPort < 0
        && ClassUtils.isPresent(ACTUATOR, ConsoleCheck.class.getClassLoader())) {
      throw new CourierConfigurationException("management.server.port", managementPort, "turns the actuator's HTTP"
          + " endpoints off, and the console is served among them (" + ENABLED + " is true)", "Leave"
          + " management.server.port unset (the application's port) or give it a port, or set " + ENABLED
          + "=false.", null);
    }
  }
}
