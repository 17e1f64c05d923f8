package io.courier.internal.common;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Chooses the host a server advertises in a registry when the user sets none. */
public final class LocalAddresses {

  private static final Logger log = LoggerFactory.getLogger(LocalAddresses.class);

  private LocalAddresses() {}

  /**
   * {@code bindHost} when it is a specific address (not a wildcard and not null); else an address of this machine
   * that others can reach: a site-local IPv4 address of an interface that is up, else any other non-loopback IPv4
   * address, else a global IPv6 address; the loopback address (with a warning) when there is none.
   */
  public static String advertisedHost(String bindHost) {
    if (bindHost != null && !bindHost.isBlank() && !isWildcard(bindHost)) {
      return bindHost;
    }
    List<InetAddress> candidates = new ArrayList<>();
    try {
      for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nif.isUp() || nif.isLoopback() || nif.isVirtual() || isContainerBridge(nif.getName())) {
          continue;
        }
        candidates.addAll(Collections.list(nif.getInetAddresses()));
      }
    } catch (SocketException e) {
      log.warn("cannot list network interfaces; advertising the loopback address (set the advertised host)", e);
    }
    InetAddress chosen = choose(candidates);
    if (chosen == null) {
      log.warn("no non-loopback address found; advertising 127.0.0.1, which only this machine can reach"
          + " (set RpcServer.Builder.advertisedHost)");
      return "127.0.0.1";
    }
    return chosen.getHostAddress().replaceAll("%.*$", "");
  }

  /** The best of {@code addresses} by the order {@link #advertisedHost} describes, or {@code null}. */
  static InetAddress choose(List<InetAddress> addresses) {
    InetAddress anyV4 = null;
    InetAddress globalV6 = null;
    for (InetAddress a : addresses) {
      if (a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress() || a.isMulticastAddress()) {
        continue;
      }
      if (a instanceof Inet4Address) {
        if (a.isSiteLocalAddress()) {
          return a;
        }
        if (anyV4 == null) {
          anyV4 = a;
        }
      } else if (a instanceof Inet6Address && globalV6 == null && !a.isSiteLocalAddress()) {
        globalV6 = a;
      }
    }
    return anyV4 != null ? anyV4 : globalV6;
  }

  private static boolean isWildcard(String host) {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0") || host.equals("*");
  }

  private static boolean isContainerBridge(String name) {
    return name.startsWith("docker") || name.startsWith("veth") || name.startsWith("br-") || name.startsWith("virbr");
  }
}
