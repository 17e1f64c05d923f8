package io.courier.common;

import java.net.InetSocketAddress;

/**
 * Where a provider listens: a host and a port. Port 0 is only meaningful for the in-process transport,
 * where the host is the server's name.
 *
 * <pre>{@code
 * Endpoint e = Endpoint.parse("10.0.0.7:7070");
 * }</pre>
 */
public record Endpoint(String host, int port) {

  public Endpoint {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host: '" + host + "' (expected: a host name or address)");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
    }
  }

  /**
   * Parses {@code host:port}, {@code [ipv6]:port}.
   *
   * @throws IllegalArgumentException naming the expected form
   */
  public static Endpoint parse(String hostAndPort) {
    String s = hostAndPort == null ? "" : hostAndPort.trim();
    int colon = s.lastIndexOf(':');
    if (colon <= 0 || colon == s.length() - 1) {
      throw new IllegalArgumentException("address: '" + hostAndPort + "' (expected: host:port)");
    }
    String host = s.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(s.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("address: '" + hostAndPort + "' (expected: host:port with a numeric port)");
    }
    return new Endpoint(host, port);
  }

  /** The endpoint of a bound socket address; the loopback or wildcard address becomes a literal IP. */
  public static Endpoint of(InetSocketAddress address) {
    return new Endpoint(address.getHostString(), address.getPort());
  }

  /** An unresolved socket address for connecting. */
  public InetSocketAddress toSocketAddress() {
    return InetSocketAddress.createUnresolved(host, port);
  }

  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
