package io.courier.spring.internal;

import io.courier.server.RpcServer;
import io.courier.spring.CourierProperties;
import io.courier.transport.http2.Http2Options;
import io.courier.transport.rest.RestOptions;
import java.util.Map;

/**
 * Applies the switches of {@code courier.server.transports.<name>} that map to a transport's options —
 * {@code http2.reflection} to {@link Http2Options#REFLECTION}, {@code rest.describe-services} to
 * {@link RestOptions#DESCRIBE_SERVICES} — and refuses one that no started listener would read. Invariant: the http2
 * and rest classes are touched only once their listener was added, so they are on the class path (both are optional
 * dependencies of the starter).
 */
final class ListenerSwitches {

  static final String HTTP2 = "http2";
  static final String REST = "rest";
  private static final String PREFIX = "courier.server.transports.";

  private ListenerSwitches() {}

  /**
   * Sets the options the switches ask for on {@code b}, whose listeners are already added.
   *
   * @param customized whether an {@code RpcServerBuilderCustomizer} may still change the builder (it may give the
   *     http2 port a REST binding, which then describes the services too)
   * @throws CourierConfigurationException naming the switch, if it is set on a transport that does not read it, on a
   *     disabled listener, or where another listener would fail on it
   */
  static void apply(RpcServer.Builder b, Map<String, CourierProperties.Transport> transports, boolean customized) {
    for (Map.Entry<String, CourierProperties.Transport> t : transports.entrySet()) {
      if (t.getValue().isReflection()) {
        requireListener(t.getKey(), t.getValue(), "reflection", HTTP2, "gRPC server reflection");
      }
      if (t.getValue().isDescribeServices()) {
        requireListener(t.getKey(), t.getValue(), "describe-services", REST, "the service descriptions");
      }
    }
    CourierProperties.Transport http2 = transports.get(HTTP2);
    boolean http2Listens = http2 != null && http2.isEnabled();
    if (http2Listens && http2.isReflection()) {
      b.option(Http2Options.REFLECTION, true);
    }
    CourierProperties.Transport rest = transports.get(REST);
    if (rest != null && rest.isEnabled() && rest.isDescribeServices()) {
      if (http2Listens && !customized) {
        // transport options are the server's, not a listener's: the http2 listener reads this one too (when
        // courier-transport-rest is present) and refuses to start without a REST binding to describe on
        throw new CourierConfigurationException(PREFIX + REST + ".describe-services", true, "the http2 listener"
            + " would read it too (transport options apply to every listener of the server) and serves no REST to"
            + " describe the services on", "Serve REST from one listener: switch the http2 listener off"
            + " (" + PREFIX + HTTP2 + ".enabled=false) or remove " + PREFIX + REST + ".describe-services; or give the"
            + " http2 port a REST binding in an RpcServerBuilderCustomizer bean"
            + " (builder.option(Http2Options.HTTP1_HANDLER, new RestBinding())), which then describes them too.",
            null);
      }
      b.option(RestOptions.DESCRIBE_SERVICES, true);
    }
  }

  private static void requireListener(String name, CourierProperties.Transport t, String option, String reader,
      String what) {
    String property = PREFIX + name + "." + option;
    if (!name.equals(reader)) {
      throw new CourierConfigurationException(property, true, what + " is served by the " + reader + " transport"
          + " only, and this is the " + name + " listener", "Set " + PREFIX + reader + "." + option + "=true instead,"
          + " on the " + reader + " listener (" + PREFIX + reader + ".port, with io.courier:courier-transport-" + reader
          + " on the class path), or remove " + property + ".", null);
    }
    if (!t.isEnabled()) {
      throw new CourierConfigurationException(property, true, "the " + name + " listener is switched off ("
          + PREFIX + name + ".enabled=false), so nothing would serve " + what, "Remove " + property + ", or switch"
          + " the listener on (" + PREFIX + name + ".enabled=true).", null);
    }
  }
}
