package io.courier.transport.tcp;

import io.courier.transport.TransportOption;
import java.time.Duration;

/**
 * Settings of the {@code tcp} transport, set on a client or server builder:
 *
 * <pre>{@code
 * RpcServer.builder().option(TcpOptions.MAX_FRAME_SIZE, 16 * 1024 * 1024)
 * }</pre>
 */
public final class TcpOptions {

  private TcpOptions() {}

  /** Largest frame (header section plus body) accepted or sent; default 8 MiB. */
  public static final TransportOption<Integer> MAX_FRAME_SIZE = TransportOption.of("tcp.maxFrameSize",
      Integer.class, 8 * 1024 * 1024, v -> v >= 1024, ">= 1024");

  /** Largest header section (names, metadata, status message); default 64 KiB. */
  public static final TransportOption<Integer> MAX_HEADER_SIZE = TransportOption.of("tcp.maxHeaderSize",
      Integer.class, 64 * 1024, v -> v >= 256, ">= 256");

  /** Most metadata entries in one frame; default 64. */
  public static final TransportOption<Integer> MAX_METADATA_ENTRIES = TransportOption.of(
      "tcp.maxMetadataEntries", Integer.class, 64, v -> v >= 0, ">= 0");

  /** Connections a client opens to each provider; calls are spread over them. Default 1. */
  public static final TransportOption<Integer> CONNECTIONS_PER_ENDPOINT = TransportOption.of(
      "tcp.connectionsPerEndpoint", Integer.class, 1, v -> v >= 1 && v <= 64, "1..64");

  /** How long a client waits for a TCP connection; default 3 seconds. */
  public static final TransportOption<Duration> CONNECT_TIMEOUT = TransportOption.of("tcp.connectTimeout",
      Duration.class, Duration.ofSeconds(3), d -> !d.isNegative() && !d.isZero(), "> 0");

  /**
   * Idle time after which a client pings the server; a connection that hears nothing for three times this
   * long is closed (on both sides). Default 15 seconds.
   */
  public static final TransportOption<Duration> HEARTBEAT_INTERVAL = TransportOption.of(
      "tcp.heartbeatInterval", Duration.class, Duration.ofSeconds(15), d -> d.toMillis() >= 10, ">= 10 ms");

  /** First wait before reconnecting to a provider that refused a connection; doubles up to the maximum. */
  public static final TransportOption<Duration> RECONNECT_BACKOFF_MIN = TransportOption.of(
      "tcp.reconnectBackoffMin", Duration.class, Duration.ofMillis(100), d -> !d.isNegative(), ">= 0");

  /** Longest wait before reconnecting to a provider; default 10 seconds. */
  public static final TransportOption<Duration> RECONNECT_BACKOFF_MAX = TransportOption.of(
      "tcp.reconnectBackoffMax", Duration.class, Duration.ofSeconds(10), d -> !d.isNegative(), ">= 0");

  /** I/O threads; 0 means Netty's default (twice the number of cores). */
  public static final TransportOption<Integer> IO_THREADS = TransportOption.of("tcp.ioThreads", Integer.class, 0,
      v -> v >= 0, ">= 0");

  /** Use native epoll when the platform has it; default true. */
  public static final TransportOption<Boolean> NATIVE_TRANSPORT = TransportOption.of("tcp.nativeTransport",
      Boolean.class, true, v -> true, "true or false");

  /** Most connections a server keeps open at once; further connections are closed on accept. Default 16384. */
  public static final TransportOption<Integer> MAX_CONNECTIONS = TransportOption.of("tcp.maxConnections",
      Integer.class, 16384, v -> v >= 1, ">= 1");

  /**
   * How long a frame that has begun may take to arrive whole, however slowly its bytes trickle in; past it the
   * connection is closed (a peer that sends a frame a byte at a time holds no memory or connection for long). On
   * servers, for requests, and on clients, for answers (the calls in flight on a closed connection fail
   * {@code UNAVAILABLE}). Default 30 seconds (an 8 MiB frame then needs about 280 KB/s).
   */
  public static final TransportOption<Duration> READ_TIMEOUT = TransportOption.of("tcp.readTimeout",
      Duration.class, Duration.ofSeconds(30), d -> d.toMillis() >= 10, ">= 10 ms");

  /**
   * Most calls a server runs at once for one connection; more fail with {@code RESOURCE_EXHAUSTED}.
   * Default 10000.
   */
  public static final TransportOption<Integer> MAX_CONCURRENT_CALLS_PER_CONNECTION = TransportOption.of(
      "tcp.maxConcurrentCallsPerConnection", Integer.class, 10_000, v -> v >= 1, ">= 1");
}
