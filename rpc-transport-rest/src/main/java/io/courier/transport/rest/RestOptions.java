package io.courier.transport.rest;

import io.courier.transport.TransportOption;
import java.time.Duration;

/**
 * Settings of the REST binding: the {@code rest} transport's client and server, and the {@link RestBinding} on an
 * {@code http2} port. Set them on a builder:
 *
 * <pre>{@code
 * RpcServer.builder().listen("rest", 8080).option(RestOptions.MAX_BODY_SIZE, 16 << 20)
 * RpcClient.builder().transport("rest").serializer("json").option(RestOptions.HTTP2, true)
 * }</pre>
 */
public final class RestOptions {

  private RestOptions() {}

  /**
   * Largest body a side accepts: a server answers a larger request with {@code 413} before buffering it (from its
   * {@code Content-Length}, or as a chunked body passes the limit), a client fails a call whose response is larger
   * with {@code RESOURCE_EXHAUSTED}. Default 4 MiB, as gRPC's message limit.
   */
  public static final TransportOption<Integer> MAX_BODY_SIZE = TransportOption.of("rest.maxBodySize",
      Integer.class, 4 * 1024 * 1024, v -> v >= 0, ">= 0");

  /**
   * Client: speak h2 (cleartext with prior knowledge, every call a stream on one connection per provider) instead of
   * HTTP/1.1 keep-alive with a connection pool. Default false.
   */
  public static final TransportOption<Boolean> HTTP2 = TransportOption.of("rest.http2", Boolean.class, false,
      v -> true, "true or false");

  /**
   * Client, HTTP/1.1: connections kept per provider, each carrying one call at a time; calls beyond them wait for
   * one to be free (within their deadline). Default 64.
   */
  public static final TransportOption<Integer> MAX_CONNECTIONS_PER_ENDPOINT = TransportOption.of(
      "rest.maxConnectionsPerEndpoint", Integer.class, 64, v -> v >= 1, ">= 1");

  /**
   * Most connections a REST server keeps open at once (HTTP/1.1 and h2 alike); further connections are closed on
   * accept, with a logged warning. Default 16384.
   */
  public static final TransportOption<Integer> MAX_CONNECTIONS = TransportOption.of("rest.maxConnections",
      Integer.class, 16384, v -> v >= 1, ">= 1");

  /**
   * How long a connection may stay idle before it is closed: default 30 seconds on a client (its pooled
   * connections) and twice that on a server, so that a client never reuses a connection the server is closing.
   */
  public static final TransportOption<Duration> IDLE_TIMEOUT = TransportOption.of("rest.idleTimeout",
      Duration.class, Duration.ofSeconds(30), d -> d.toMillis() >= 10, ">= 10 ms");

  /**
   * Server: how long a request that has begun — its request line and headers, then its body (on h2: each frame and
   * header block) — may take to arrive whole, however slowly its bytes trickle in; past it the connection is closed.
   * On h2, also each request's body, from its HEADERS to END_STREAM (past it that stream alone is answered {@code 408}
   * and its reserved bytes given back), and a body or answer waiting for the server's budgets ({@code 429} past it).
   * Default 30 seconds.
   */
  public static final TransportOption<Duration> READ_TIMEOUT = TransportOption.of("rest.readTimeout",
      Duration.class, Duration.ofSeconds(30), d -> d.toMillis() >= 10, ">= 10 ms");

  /** How long a client waits for a connection; default 3 seconds. */
  public static final TransportOption<Duration> CONNECT_TIMEOUT = TransportOption.of("rest.connectTimeout",
      Duration.class, Duration.ofSeconds(3), d -> !d.isNegative() && !d.isZero(), "> 0");

  /**
   * HTTP/1.1 requests a server reads ahead on one connection (pipelining) while earlier ones are still being
   * served; beyond this it stops reading until responses go out. Default 64.
   */
  public static final TransportOption<Integer> MAX_PIPELINED_REQUESTS = TransportOption.of(
      "rest.maxPipelinedRequests", Integer.class, 64, v -> v >= 1, ">= 1");

  /**
   * Server: answer {@code GET /courier/services} (every exported service) and {@code GET /courier/services/<name>}
   * (one) with the services' descriptions as JSON — methods, kinds, argument names, JSON Schemas of argument and
   * result types, REST routes, example arguments ({@code docs/describe.md}) — on the {@code rest} listener and on an
   * {@code http2} port with a {@link RestBinding}. Each request is admitted like a call of the pseudo service
   * {@code courier.Describe} (method {@code list} or {@code get}), so {@code BearerAuth} and {@code AccessPolicy}
   * apply. Default false: the paths are then routed like any other (and answered {@code 404}).
   */
  public static final TransportOption<Boolean> DESCRIBE_SERVICES = TransportOption.of("rest.describeServices",
      Boolean.class, false, v -> true, "true or false");

  /** I/O threads of the {@code rest} transport; 0 means Netty's default (twice the number of cores). */
  public static final TransportOption<Integer> IO_THREADS = TransportOption.of("rest.ioThreads", Integer.class, 0,
      v -> v >= 0, ">= 0");

  /** Use native epoll when the platform has it; default true. */
  public static final TransportOption<Boolean> NATIVE_TRANSPORT = TransportOption.of("rest.nativeTransport",
      Boolean.class, true, v -> true, "true or false");
}
