package io.courier.transport.http2;

import io.courier.common.CallOptions;
import io.courier.transport.TransportOption;
import java.time.Duration;

/**
 * Settings of the {@code http2} transport, set on a client or server builder:
 *
 * <pre>{@code
 * RpcServer.builder().listen("http2", 8443)
 *     .option(Http2Options.MAX_INBOUND_MESSAGE_SIZE, 16 << 20)
 *     .tls(TlsConfig.forServer(certificateChain, privateKey))     // TLS with ALPN h2; cleartext is refused
 * }</pre>
 *
 * <p>TLS is configured once for every transport with {@link io.courier.transport.TlsConfig}
 * ({@code RpcServer.Builder.tls}, {@code RpcClient.Builder.tls}).
 */
public final class Http2Options {

  private Http2Options() {}

  /**
   * Largest message (after decompression) a side accepts; a larger one fails the call with
   * {@code RESOURCE_EXHAUSTED}, detected from its 5-byte prefix before any of it is buffered. Default 4 MiB,
   * as in gRPC.
   */
  public static final TransportOption<Integer> MAX_INBOUND_MESSAGE_SIZE = TransportOption.of(
      "http2.maxInboundMessageSize", Integer.class, 4 * 1024 * 1024, v -> v >= 0, ">= 0");

  /** Largest header block (HTTP/2 SETTINGS_MAX_HEADER_LIST_SIZE) a side accepts; default 8 KiB, as in gRPC. */
  public static final TransportOption<Integer> MAX_HEADER_LIST_SIZE = TransportOption.of(
      "http2.maxHeaderListSize", Integer.class, 8192, v -> v >= 1024, ">= 1024");

  /** Streams (calls) a server allows at once on one connection (SETTINGS_MAX_CONCURRENT_STREAMS); default 1000. */
  public static final TransportOption<Integer> MAX_CONCURRENT_STREAMS = TransportOption.of(
      "http2.maxConcurrentStreams", Integer.class, 1000, v -> v >= 1, ">= 1");

  /**
   * The HTTP/2 flow-control window of each stream (and, scaled, of each connection); default 1 MiB. A stream
   * whose reader falls behind holds at most this many unread bytes before the sender must wait.
   */
  public static final TransportOption<Integer> FLOW_CONTROL_WINDOW = TransportOption.of(
      "http2.flowControlWindow", Integer.class, 1024 * 1024, v -> v >= 65535, ">= 65535");

  /**
   * Idle time after which a side sends an HTTP/2 PING to check the connection; default 5 minutes (gRPC servers
   * refuse pings more frequent than that unless configured otherwise).
   */
  public static final TransportOption<Duration> KEEPALIVE_TIME = TransportOption.of("http2.keepaliveTime",
      Duration.class, Duration.ofMinutes(5), d -> d.toMillis() >= 10, ">= 10 ms");

  /**
   * Server: the most often a client may send keepalive PINGs. A client that pings more often, more than twice in a
   * row, gets GOAWAY {@code ENHANCE_YOUR_CALM} with {@code too_many_pings} and its connection closes — as grpc-java's
   * {@code permitKeepAliveTime}. Sending headers or data resets the count. Default 5 minutes, as grpc-java.
   */
  public static final TransportOption<Duration> PERMIT_KEEPALIVE_TIME = TransportOption.of(
      "http2.permitKeepaliveTime", Duration.class, Duration.ofMinutes(5), d -> !d.isNegative(), ">= 0");

  /**
   * Server: whether {@link #PERMIT_KEEPALIVE_TIME} also applies to a connection with no call in flight; if false, such
   * a connection may ping only every two hours (grpc-java's {@code permitKeepAliveWithoutCalls}, default false there).
   * Default true: Courier's own clients keep idle connections alive with a PING every {@link #KEEPALIVE_TIME}.
   */
  public static final TransportOption<Boolean> PERMIT_KEEPALIVE_WITHOUT_CALLS = TransportOption.of(
      "http2.permitKeepaliveWithoutCalls", Boolean.class, true, v -> true, "true or false");

  /** How long a side waits for the PING's acknowledgement before closing the connection; default 20 seconds. */
  public static final TransportOption<Duration> KEEPALIVE_TIMEOUT = TransportOption.of("http2.keepaliveTimeout",
      Duration.class, Duration.ofSeconds(20), d -> d.toMillis() >= 10, ">= 10 ms");

  /**
   * Server: how long an HTTP/2 frame or header block that has begun may take to arrive whole, however slowly its bytes
   * trickle in; past it the connection is closed. The same bound holds for what holds request budget while it arrives
   * — a gRPC message from its prefix, a unary or server-streaming call's request from its HEADERS to END_STREAM, a REST
   * body — past which that stream alone is refused (its clock stops while the server makes it wait for budget); and
   * for a message or answer waiting for budget. A message whose bytes cannot come because the connection's window is
   * full of other streams' unread messages (services that do not read their streams) counts against it too. Default
   * 30 seconds.
   */
  public static final TransportOption<Duration> READ_TIMEOUT = TransportOption.of("http2.readTimeout",
      Duration.class, Duration.ofSeconds(30), d -> d.toMillis() >= 10, ">= 10 ms");

  /** How long a client waits for a connection (TCP, TLS and HTTP/2 preface); default 3 seconds. */
  public static final TransportOption<Duration> CONNECT_TIMEOUT = TransportOption.of("http2.connectTimeout",
      Duration.class, Duration.ofSeconds(3), d -> !d.isNegative() && !d.isZero(), "> 0");

  /**
   * First wait before a client dials a provider again after a failed connect; doubles up to
   * {@link #RECONNECT_BACKOFF_MAX}. Calls in that window fail at once with {@code UNAVAILABLE}, so that a cluster
   * layer can go elsewhere. Default 100 ms.
   */
  public static final TransportOption<Duration> RECONNECT_BACKOFF_MIN = TransportOption.of(
      "http2.reconnectBackoffMin", Duration.class, Duration.ofMillis(100), d -> !d.isNegative(), ">= 0");

  /** Longest wait before a client dials a provider again; default 10 seconds. */
  public static final TransportOption<Duration> RECONNECT_BACKOFF_MAX = TransportOption.of(
      "http2.reconnectBackoffMax", Duration.class, Duration.ofSeconds(10), d -> !d.isNegative(), ">= 0");

  /**
   * Whether an {@code http2} server also serves Courier's TCP framing on the same port, telling them apart
   * by the first bytes (TCP frames start with {@code 0xC0DE}, HTTP/2 with its preface, TLS with
   * {@code 0x16}); default true. Set false to refuse TCP clients on this port.
   */
  public static final TransportOption<Boolean> SHARE_PORT_WITH_TCP = TransportOption.of("http2.sharePortWithTcp",
      Boolean.class, true, v -> true, "true or false");

  /**
   * What an {@code http2} server does with a connection that starts like HTTP/1.1 (the hook for the REST
   * binding); default none: such connections get {@code 505 HTTP Version Not Supported} and are closed.
   */
  public static final TransportOption<Http1Handler> HTTP1_HANDLER = TransportOption.of("http2.http1Handler",
      Http1Handler.class, null, v -> true, "an Http1Handler");

  /**
   * A call option: compress the requests of calls made with these options, for example {@code "gzip"}
   * (sent as {@code grpc-encoding}); default none. Servers compress responses when the service asks with
   * {@code ServerContext.setResponseCompression("gzip")} and the client accepts it, which Courier clients
   * always do.
   *
   * <pre>{@code
   * Orders orders = client.create(Orders.class, CallOptions.DEFAULT.with(Http2Options.REQUEST_COMPRESSION, "gzip"));
   * }</pre>
   */
  public static final CallOptions.Key<String> REQUEST_COMPRESSION = CallOptions.Key.of("http2.requestCompression",
      null);

  /**
   * Whether {@code grpc.health.v1.Health} checks go through the server's interceptors — its authentication and access
   * rules, from their admission on — like any call. Default false: health answers whoever can connect, as
   * grpc-java's health service does, so that load balancers and orchestrators probe without credentials.
   */
  public static final TransportOption<Boolean> HEALTH_CHECKS_ADMITTED = TransportOption.of(
      "http2.healthChecksAdmitted", Boolean.class, false, v -> true, "true or false");

  /**
   * Whether an {@code http2} server answers gRPC server reflection, {@code grpc.reflection.v1.ServerReflection} and
   * {@code grpc.reflection.v1alpha.ServerReflection}, so that grpcurl, grpcui, Postman and other stock tools list its
   * protobuf-typed services and describe their methods and messages ({@code docs/http2.md}, "Server reflection").
   * Reflection calls go through the server's interceptors — its authentication and access rules — like any call.
   * Default false: a server tells nobody what it serves unless asked to.
   *
   * <pre>{@code
   * RpcServer.builder().listen("http2", 50051).service(Orders.class, orders).option(Http2Options.REFLECTION, true)
   * }</pre>
   */
  public static final TransportOption<Boolean> REFLECTION = TransportOption.of("http2.reflection", Boolean.class,
      false, v -> true, "true or false");

  /**
   * The {@code .proto} files whose service declarations reflection describes, for services whose messages' files do
   * not declare the service themselves (a service declared in a {@code .proto} file of its own, such as gRPC's
   * {@code test.proto}); other services are described from their messages' files, or by a service declaration
   * Courier writes from the Java interface. Needs {@link #REFLECTION}: setting it alone fails the server's start.
   *
   * <pre>{@code
   * .option(Http2Options.REFLECTION, true)
   * .option(Http2Options.REFLECTION_FILES, ReflectionFiles.of(OrdersProto.getDescriptor()))
   * }</pre>
   */
  public static final TransportOption<ReflectionFiles> REFLECTION_FILES = TransportOption.of(
      "http2.reflectionFiles", ReflectionFiles.class, ReflectionFiles.NONE, v -> true, "a ReflectionFiles");

  /**
   * Most connections a server keeps open at once, whatever protocol they speak on its port (gRPC, TCP framing
   * on a shared port, HTTP/1.1); further connections are closed on accept, with a logged warning. Default 16384.
   */
  public static final TransportOption<Integer> MAX_CONNECTIONS = TransportOption.of("http2.maxConnections",
      Integer.class, 16384, v -> v >= 1, ">= 1");

  /** I/O threads; 0 means Netty's default (twice the number of cores). */
  public static final TransportOption<Integer> IO_THREADS = TransportOption.of("http2.ioThreads", Integer.class,
      0, v -> v >= 0, ">= 0");

  /** Use native epoll when the platform has it; default true. */
  public static final TransportOption<Boolean> NATIVE_TRANSPORT = TransportOption.of("http2.nativeTransport",
      Boolean.class, true, v -> true, "true or false");
}
