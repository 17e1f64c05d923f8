package io.courier.transport.netty;

import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs why a server refused a connection — cleartext on a TLS port, a failed handshake — once per peer host and
 * reason within {@link #PER_PEER_INTERVAL_SECONDS} seconds, and at most one line a second in all (a later line says
 * how many were left out), so that a scanner or a misconfigured fleet is reported without flooding the log.
 *
 * <pre>{@code
 * static final RefusalLog TLS_REFUSALS = new RefusalLog(log);
 * TLS_REFUSALS.refused(channel, "cleartext on a TLS port (configure the client with tls(...))");
 * }</pre>
 *
 * <p>Thread-safe. Remembers at most {@link #MAX_PEERS} peers; when full it forgets them all (the global rate still
 * holds).
 */
public final class RefusalLog {

  static final long PER_PEER_INTERVAL_SECONDS = 60;
  static final int MAX_PEERS = 4096;
  private static final long PER_PEER_NANOS = TimeUnit.SECONDS.toNanos(PER_PEER_INTERVAL_SECONDS);
  private static final long GLOBAL_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Logger log;
  private final ConcurrentHashMap<String, Long> lastByPeer = new ConcurrentHashMap<>();
  private final AtomicLong lastLine = new AtomicLong(System.nanoTime() - GLOBAL_NANOS);
  private final AtomicLong suppressed = new AtomicLong();

  public RefusalLog(Logger log) {
    this.log = log;
  }

  /** Logs, if due, that a connection from {@code channel}'s peer was closed for {@code reason}. */
  public void refused(Channel channel, String reason) {
    refused(channel.remoteAddress(), reason);
  }

  /** Returns whether a line was written. */
  boolean refused(SocketAddress peer, String reason) {
    long now = System.nanoTime();
    String key = host(peer) + '\u0000' + reason;
    Long last = lastByPeer.get(key);
    if (last != null && now - last < PER_PEER_NANOS) {
      suppressed.incrementAndGet();
      return false;
    }
    long lastAny = lastLine.get();
    if (now - lastAny < GLOBAL_NANOS || !lastLine.compareAndSet(lastAny, now)) {
      suppressed.incrementAndGet();
      return false;
    }
    if (lastByPeer.size() >= MAX_PEERS) {
      lastByPeer.clear();
    }
    lastByPeer.put(key, now);
    long left = suppressed.getAndSet(0);
    log.warn("closing connection from {}: {}{}", peer, reason,
        left > 0 ? " (" + left + " similar refusals not logged since the last line)" : "");
    return true;
  }

  private static String host(SocketAddress peer) {
    if (peer instanceof InetSocketAddress inet) {
      InetAddress address = inet.getAddress();
      return address != null ? address.getHostAddress() : inet.getHostString();
    }
    return String.valueOf(peer);
  }
}
