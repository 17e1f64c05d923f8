package io.courier.transport.http2;

import io.courier.common.Metadata;
import io.courier.common.MethodDescriptor;
import io.courier.common.Status;
import io.courier.common.StatusCode;
import io.courier.serialization.Serializer;
import io.courier.serialization.SerializerSet;
import io.courier.server.CallHead;
import io.courier.transport.ByteBudget;
import io.courier.transport.ServerCallHandler;
import io.courier.transport.ServerConnection;
import io.courier.transport.netty.AbstractHttp2Handler;
import io.courier.transport.netty.ChannelConnections;
import io.courier.transport.netty.RefusalLog;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2LocalFlowController;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameLogger;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server end of one HTTP/2 connection speaking gRPC: validates each request's HEADERS (method, path,
 * content type, encoding, timeout), creates a {@link GrpcServerStream} per call and hands it to the core,
 * routes DATA and RST_STREAM to it, writes its responses, sends keepalive pings, and goes away gracefully.
 *
 * <p>Requests that are not gRPC get the HTTP status gRPC asks for (405 for a method other than POST, 415 for a
 * content type that is not {@code application/grpc...}, 404 for a malformed path) with a {@code grpc-status};
 * gRPC failures before a call starts (unknown method, unsupported encoding) get a Trailers-Only response.
 * Protocol errors are Netty's: a stream error resets that stream, a connection error sends GOAWAY and closes.
 *
 * <p>With an {@link Http1Handler} that takes HTTP/2 requests, a request whose content type is not gRPC's goes to it
 * as an {@link Http2StreamExchange} instead (REST over h2 on the shared port).
 */
final class GrpcServerHandler extends AbstractHttp2Handler {

  private static final Logger log = LoggerFactory.getLogger(GrpcServerHandler.class);
  private static final RefusalLog PING_REFUSALS = new RefusalLog(log);

  private final ServerCallHandler calls;
  private final SerializerSet serializers;
  private final Http2Config config;
  private final Http2Connection.PropertyKey callKey;
  private final Http2Connection.PropertyKey exchangeKey;
  private final Function<HttpExchange, HttpExchange.Receiver> httpRequests; // null: non-gRPC requests get 415
  private final boolean httpOnly; // every request goes to httpRequests, gRPC's content type or not
  private ChannelHandlerContext ctx;
  private boolean goingAway;
  private boolean finalGoAwaySent;
  private String goAwayReason;
  private ScheduledFuture<?> finalGoAwayTimer;
  /** The payload of the PING that follows the first GOAWAY. */
  private static final long GOAWAY_PING = 0x6f6e6c7920676f61L;
  /** Keepalive enforcement, as grpc-java's KeepAliveEnforcer: pings too often, more than this many times, end it. */
  private static final int MAX_PING_STRIKES = 2;
  private static final long IDLE_PERMIT_NANOS = TimeUnit.HOURS.toNanos(2);
  private final long epochNanos = System.nanoTime();
  private long lastValidPingNanos = epochNanos;
  private int pingStrikes;
  /** Streams waiting for request budget, in arrival order; event loop only. */
  private final ArrayDeque<BudgetWaiter> budgetWaiters = new ArrayDeque<>();
  /** Unary responses waiting for response budget, in order; event loop only. */
  private final ArrayDeque<ResponseWaiter> responseWaiters = new ArrayDeque<>();
  private long waitingResponseBytes;
  private volatile boolean budgetWaitersPresent;
  private boolean budgetRetryScheduled;
  private int heldForBudget; // bytes queued on waiting streams, left out of the connection window's count

  private GrpcServerHandler(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings,
      ServerCallHandler calls, SerializerSet serializers, Http2Config config,
      Function<HttpExchange, HttpExchange.Receiver> httpRequests, boolean httpOnly) {
    super(decoder, encoder, settings, config.window() * 2);
    this.calls = calls;
    this.serializers = serializers;
    this.config = config;
    this.httpRequests = httpRequests;
    this.httpOnly = httpOnly;
    this.callKey = connection().newKey();
    this.exchangeKey = connection().newKey();
    connection().addListener(new Http2ConnectionAdapter() {
      @Override
      public void onStreamClosed(Http2Stream stream) {
        GrpcServerStream call = stream.getProperty(callKey);
        if (call != null) {
          call.cancelledByPeer();
        }
        Http2StreamExchange exchange = stream.getProperty(exchangeKey);
        if (exchange != null) {
          exchange.closed();
        }
        if (goingAway) {
          ctx.executor().execute(GrpcServerHandler.this::closeIfDrained);
        }
      }
    });
  }

  /**
   * @param httpRequests takes the non-gRPC requests (the {@link Http1Handler} hook), or {@code null}: they get 415
   */
  static GrpcServerHandler create(ServerCallHandler calls, SerializerSet serializers, Http2Config config,
      Function<HttpExchange, HttpExchange.Receiver> httpRequests) {
    return create(calls, serializers, config, httpRequests, false);
  }

  /**
   * @param httpOnly every request goes to {@code httpRequests}, whatever its content type: a connection that serves
   *     no gRPC ({@code calls} and {@code serializers} are then unused)
   */
  static GrpcServerHandler create(ServerCallHandler calls, SerializerSet serializers, Http2Config config,
      Function<HttpExchange, HttpExchange.Receiver> httpRequests, boolean httpOnly) {
    DefaultHttp2Connection connection = new DefaultHttp2Connection(true);
    connection.local().flowController(new DefaultHttp2LocalFlowController(connection, 0.5f, true));
    return new Builder(calls, serializers, config, connection, httpRequests, httpOnly).build();
  }

  /** Builds the handler through Netty's builder, which wires the codec and the connection together. */
  private static final class Builder extends AbstractHttp2ConnectionHandlerBuilder<GrpcServerHandler, Builder> {
    private final ServerCallHandler calls;
    private final SerializerSet serializers;
    private final Http2Config config;
    private final Function<HttpExchange, HttpExchange.Receiver> httpRequests;
    private final boolean httpOnly;

    Builder(ServerCallHandler calls, SerializerSet serializers, Http2Config config, Http2Connection connection,
        Function<HttpExchange, HttpExchange.Receiver> httpRequests, boolean httpOnly) {
      this.calls = calls;
      this.serializers = serializers;
      this.config = config;
      this.httpRequests = httpRequests;
      this.httpOnly = httpOnly;
      connection(connection);
      initialSettings(config.settings(true));
      gracefulShutdownTimeoutMillis(0);
      Http2FrameLogger frames = AbstractHttp2Handler.frameLogger("server");
      if (frames != null) {
        frameLogger(frames);
      }
    }

    @Override
    public GrpcServerHandler build() {
      return super.build();
    }

    @Override
    protected GrpcServerHandler build(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
        Http2Settings settings) {
      return new GrpcServerHandler(decoder, encoder, settings, calls, serializers, config, httpRequests, httpOnly);
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext context) throws Exception {
    this.ctx = context;
    super.handlerAdded(context); // and grows the connection window
  }

  @Override
  protected String connectionName() {
    return "the connection from " + remoteAddress();
  }

  @Override
  protected long keepaliveTimeoutMillis() {
    return config.keepaliveTimeoutMillis();
  }

  EventLoop eventLoop() {
    return ctx.channel().eventLoop();
  }

  Channel channel() {
    return ctx.channel();
  }

  ByteBufAllocator alloc() {
    return ctx.alloc();
  }

  SocketAddress remoteAddress() {
    return ctx.channel().remoteAddress();
  }

  // ---- requests ----

  @Override
  public void onHeadersRead(ChannelHandlerContext context, int streamId, Http2Headers headers, int padding,
      boolean endOfStream) throws Http2Exception {
    Http2Stream stream = connection().stream(streamId);
    GrpcServerStream call = stream == null ? null : stream.getProperty(callKey);
    if (call != null) { // request trailers: only END_STREAM matters
      call.inbound(Unpooled.EMPTY_BUFFER, endOfStream);
      return;
    }
    Http2StreamExchange exchange = stream == null ? null : stream.getProperty(exchangeKey);
    if (exchange != null) { // request trailers of a non-gRPC request
      if (endOfStream) {
        exchange.inbound(Unpooled.EMPTY_BUFFER, true);
      }
      return;
    }
    if (stream == null) {
      return;
    }
    if (httpRequests != null
        && (httpOnly || GrpcProtocol.serializerFor(headers.get(GrpcProtocol.CONTENT_TYPE)) == null)) {
      startExchange(stream, headers, endOfStream);
      return;
    }
    startCall(stream, headers, endOfStream);
  }

  @Override
  public void onHeadersRead(ChannelHandlerContext context, int streamId, Http2Headers headers, int streamDependency,
      short weight, boolean exclusive, int padding, boolean endOfStream) throws Http2Exception {
    onHeadersRead(context, streamId, headers, padding, endOfStream);
  }

  private void startCall(Http2Stream stream, Http2Headers headers, boolean endOfStream) {
    if (!GrpcProtocol.POST.contentEquals(headers.method())) {
      respondHttpError(stream, 405, Status.INTERNAL.withDescription("method '" + headers.method()
          + "' is not supported (expected: POST)"));
      return;
    }
    CharSequence contentType = headers.get(GrpcProtocol.CONTENT_TYPE);
    String serializerName = GrpcProtocol.serializerFor(contentType);
    if (serializerName == null) {
      respondHttpError(stream, 415, Status.INTERNAL.withDescription("content-type '" + contentType
          + "' is not supported (expected: application/grpc, application/grpc+proto or"
          + " application/grpc+<serializer>)"));
      return;
    }
    CharSequence path = headers.path();
    String p = path == null ? "" : path.toString();
    int slash = p.lastIndexOf('/');
    if (!p.startsWith("/") || slash <= 1 || slash == p.length() - 1) {
      respondHttpError(stream, 404, Status.UNIMPLEMENTED.withDescription("malformed path '" + p
          + "' (expected: /<service>/<method>)"));
      return;
    }
    String service = p.substring(1, slash);
    String methodName = p.substring(slash + 1);
    MethodDescriptor method = calls.lookup(service, methodName);
    Metadata metadata = GrpcProtocol.readMetadata(headers, GrpcProtocol.ENCODING_METADATA);
    // admission (authentication, access rules) on the headers, before any DATA of the stream is buffered
    CallHead head = new CallHead(service, methodName, method, metadata, remoteAddress());
    ServerConnection connection = ChannelConnections.of(ctx.channel(), calls);
    Status refusal = calls.admit(connection, head);
    if (refusal != null) {
      respondTrailersOnly(stream, contentType, refusal);
      return;
    }
    Serializer serializer = serializers.find(serializerName);
    if (serializer == null) {
      respondTrailersOnly(stream, contentType, Status.UNIMPLEMENTED.withDescription("serializer '" + serializerName
          + "' (from content-type '" + contentType + "') is not available on this server (available: "
          + serializers.names() + ")"));
      return;
    }
    CharSequence encoding = headers.get(GrpcProtocol.GRPC_ENCODING);
    boolean gzip = false;
    if (encoding != null && !"identity".contentEquals(encoding)) {
      if (!GrpcProtocol.GZIP.contentEqualsIgnoreCase(encoding)) {
        respondTrailersOnly(stream, contentType, Status.UNIMPLEMENTED.withDescription("grpc-encoding '" + encoding
            + "' is not supported (supported: gzip, identity)"));
        return;
      }
      gzip = true;
    }
    long timeoutNanos = -1;
    CharSequence timeout = headers.get(GrpcProtocol.GRPC_TIMEOUT);
    if (timeout != null) {
      try {
        timeoutNanos = GrpcProtocol.parseTimeout(timeout);
      } catch (IllegalArgumentException e) {
        respondTrailersOnly(stream, contentType, Status.INTERNAL.withDescription("malformed " + e.getMessage()));
        return;
      }
    }
    CharSequence accept = headers.get(GrpcProtocol.GRPC_ACCEPT_ENCODING);
    boolean acceptsGzip = accept != null && accept.toString().toLowerCase(Locale.ROOT).contains("gzip");
    GrpcServerStream call = new GrpcServerStream(this, stream, head, connection, serializer,
        serializerName.equals("protobuf") ? GrpcProtocol.APPLICATION_GRPC : contentType, timeoutNanos,
        gzip, acceptsGzip, config.maxMessageSize());
    stream.setProperty(callKey, call);
    if (call.dispatchesImmediately()) {
      call.markDispatched();
      dispatch(call);
    }
    if (endOfStream) {
      call.inbound(Unpooled.EMPTY_BUFFER, true);
    }
  }

  /** Hands a non-gRPC request to the {@link Http1Handler} hook; a refusal ({@code null}) gets the usual 415. */
  private void startExchange(Http2Stream stream, Http2Headers headers, boolean endOfStream) {
    HttpRequest request;
    try {
      request = HttpConversionUtil.toHttpRequest(stream.id(), headers, true);
    } catch (Http2Exception | RuntimeException e) {
      respondHttpError(stream, 400, Status.INTERNAL.withDescription("malformed request headers: " + e.getMessage()));
      return;
    }
    Http2StreamExchange exchange = new Http2StreamExchange(this, stream, request);
    stream.setProperty(exchangeKey, exchange);
    HttpExchange.Receiver receiver;
    try {
      receiver = httpRequests.apply(exchange);
    } catch (RuntimeException e) {
      log.warn("the HTTP request handler failed on {} {} from {}", request.method(), request.uri(), remoteAddress(), e);
      receiver = null;
    }
    if (receiver == null) {
      stream.removeProperty(exchangeKey);
      respondHttpError(stream, 415, Status.INTERNAL.withDescription("content-type '"
          + headers.get(GrpcProtocol.CONTENT_TYPE) + "' is not supported (expected: application/grpc, "
          + "application/grpc+proto or application/grpc+<serializer>)"));
      return;
    }
    exchange.receiver(receiver);
    if (endOfStream) {
      exchange.inbound(Unpooled.EMPTY_BUFFER, true);
    }
  }

  /** Writes the response of a non-gRPC request, on the event loop; takes ownership of {@code response}. */
  void writeExchangeResponse(Http2StreamExchange exchange, FullHttpResponse response, Runnable onWritten) {
    Http2Stream stream = exchange.stream();
    if (!canWrite(stream)) {
      response.release();
      if (onWritten != null) {
        onWritten.run();
      }
      return;
    }
    Http2Headers headers;
    try {
      headers = HttpConversionUtil.toHttp2Headers(response, false);
    } catch (RuntimeException e) {
      response.release();
      log.warn("cannot write the response to {} {}: {}", exchange.request().method(), exchange.request().uri(),
          e.toString());
      headers = new DefaultHttp2Headers(false).status(HttpResponseStatus.INTERNAL_SERVER_ERROR.codeAsText());
      finishRefused(stream, headers);
      if (onWritten != null) {
        onWritten.run();
      }
      return;
    }
    resetPingStrikes();
    ByteBuf body = response.content();
    ChannelPromise written = ctx.newPromise();
    if (onWritten != null) {
      written.addListener(f -> onWritten.run());
    }
    if (body.isReadable()) {
      encoder().writeHeaders(ctx, stream.id(), headers, 0, false, ctx.newPromise());
      encoder().writeData(ctx, stream.id(), body, 0, true, written);
    } else {
      body.release();
      encoder().writeHeaders(ctx, stream.id(), headers, 0, true, written);
    }
    resetOnceWritten(stream, written, null);
    scheduleFlush();
  }

  void dispatch(GrpcServerStream call) {
    calls.handle(call);
  }

  @Override
  public int onDataRead(ChannelHandlerContext context, int streamId, ByteBuf data, int padding, boolean endOfStream) {
    Http2Stream stream = connection().stream(streamId);
    GrpcServerStream call = stream == null ? null : stream.getProperty(callKey);
    if (call == null) {
      Http2StreamExchange exchange = stream == null ? null : stream.getProperty(exchangeKey);
      if (exchange != null) { // the receiver bounds what it keeps: the credit goes back at once, unless it waits
        return exchange.inbound(data.retain(), endOfStream) + padding;
      }
      return data.readableBytes() + padding; // refused or finished: drop, return the credit
    }
    call.inbound(data.retain(), endOfStream);
    return padding;
  }

  @Override
  public void onRstStreamRead(ChannelHandlerContext context, int streamId, long errorCode) {
    Http2Stream stream = connection().stream(streamId);
    GrpcServerStream call = stream == null ? null : stream.getProperty(callKey);
    if (call != null) {
      call.cancelledByPeer();
    }
    Http2StreamExchange exchange = stream == null ? null : stream.getProperty(exchangeKey);
    if (exchange != null) {
      exchange.closed();
    }
  }

  // ---- waiting for request budget, on the event loop ----

  /**
   * What waits for request budget on a connection: a gRPC stream's next message ({@link GrpcServerStream}) or a REST
   * request's body ({@link Http2StreamExchange}). Called on the event loop.
   */
  interface BudgetWaiting {

    /** Tries again to reserve what it waits for; returns whether it still waits (false once admitted or closed). */
    boolean retryBudget();

    /** Ends the wait with a refusal: the stream is answered with {@code status}. */
    void abort(Status status);

    /** The budget it waits on, for the refusal's message. */
    ByteBudget requestBudget();
  }

  /** A stream whose next message (or body) did not fit the request budget, since {@code sinceNanos}. */
  private record BudgetWaiter(BudgetWaiting call, long bytes, long sinceNanos) {}

  /** An encoded unary response that did not fit the response budget, since {@code sinceNanos}. */
  private record ResponseWaiter(GrpcServerStream call, ByteBuf framed, Metadata trailers, long sinceNanos) {}

  /**
   * A unary response ({@code framed}, encoded) does not fit the connection's response budget: the client has not read
   * the answers before it yet. It waits, in order, for answers to be written — unless the responses waiting already
   * hold a quarter of the budget, then it is refused {@code RESOURCE_EXHAUSTED}, as it is after the read timeout. So a
   * connection holds at most its response budget and a quarter of it waiting, and a burst of large answers to a client
   * that reads them is not failed.
   */
  void awaitResponseBudget(GrpcServerStream call, ByteBuf framed, Metadata trailers) {
    int size = framed.readableBytes();
    if (call.isClosed()) {
      framed.release();
      return;
    }
    ByteBudget responses = call.serverConnection().responseBytes();
    if (waitingResponseBytes + size > responses.limit() / 4) {
      framed.release();
      call.sendError(Status.RESOURCE_EXHAUSTED.withDescription("the server cannot hold a response of " + size
          + " bytes now: " + responses.exhausted(size) + "; retry later"), Metadata.EMPTY);
      return;
    }
    waitingResponseBytes += size;
    responseWaiters.add(new ResponseWaiter(call, framed, trailers, System.nanoTime()));
    budgetWaitersPresent = true;
    scheduleBudgetRetry(BUDGET_RETRY_MILLIS);
  }

  /** How often waiting streams try again when no release on this connection woke them first. */
  private static final long BUDGET_RETRY_MILLIS = 5;

  /**
   * Streams that may wait for request budget at once on one connection: each holds up to a stream window of bytes
   * outside the budget, so all of them together hold at most a quarter of the connection's budget.
   */
  static int maxBudgetWaiters(long connectionBudget, int streamWindow) {
    return (int) Math.max(1, Math.min(1000, connectionBudget / 4 / streamWindow));
  }

  /**
   * A stream's next message ({@code bytes}) does not fit the request budget now: it waits (its unread bytes hold its
   * flow-control window, so the client stops sending on it) unless too many streams wait already — then the
   * message is refused {@code RESOURCE_EXHAUSTED}. Waiters are tried in arrival order when this connection releases
   * budget and every few milliseconds, and refused once they waited the read timeout.
   */
  boolean awaitBudget(BudgetWaiting call, long bytes) {
    long connectionBudget = call.requestBudget().limit();
    if (goingAway || budgetWaiters.size() >= maxBudgetWaiters(connectionBudget, config.window())) {
      return false;
    }
    budgetWaiters.add(new BudgetWaiter(call, bytes, System.nanoTime()));
    budgetWaitersPresent = true;
    scheduleBudgetRetry(BUDGET_RETRY_MILLIS);
    return true;
  }

  /** Request budget was released on this connection (any thread): waiting streams try again now. */
  void budgetReleased() {
    if (budgetWaitersPresent) {
      ctx.executor().execute(() -> {
        if (!budgetRetryScheduled) {
          retryBudgetWaiters();
        }
      });
    }
  }

  /**
   * Bytes queued on waiting streams are left out of the connection window: it grows by them, and WINDOW_UPDATE is
   * sent, as before, once half the base window was read by the other streams. So waiting streams never starve those
   * whose messages are reserved already — which are the ones that give budget back.
   */
  void heldForBudget(int delta) {
    if (delta == 0) {
      return;
    }
    heldForBudget += delta;
    if (!ctx.channel().isActive()) {
      return;
    }
    DefaultHttp2LocalFlowController flow = (DefaultHttp2LocalFlowController) connection().local().flowController();
    Http2Stream connectionStream = connection().connectionStream();
    int base = config.window() * 2;
    try {
      flow.windowUpdateRatio(connectionStream, 1f - (base / 2f) / (base + (float) heldForBudget));
      flow.incrementWindowSize(connectionStream, delta);
      scheduleFlush();
    } catch (Http2Exception e) {
      log.debug("adjusting the connection window for streams waiting for budget failed", e);
    }
  }

  private void scheduleBudgetRetry(long delayMillis) {
    if (!budgetRetryScheduled) {
      budgetRetryScheduled = true;
      ctx.executor().schedule(() -> {
        budgetRetryScheduled = false;
        retryBudgetWaiters();
      }, delayMillis, TimeUnit.MILLISECONDS);
    }
  }

  private void retryBudgetWaiters() {
    ResponseWaiter answer;
    while ((answer = responseWaiters.peek()) != null) {
      int size = answer.framed().readableBytes();
      if (!answer.call().isClosed() && !answer.call().serverConnection().responseBytes().tryReserve(size)) {
        break;
      }
      responseWaiters.poll();
      waitingResponseBytes -= size;
      if (answer.call().isClosed()) {
        answer.framed().release(); // cancelled while it waited
      } else {
        answer.call().writeResponse(answer.framed(), size, answer.trailers());
      }
    }
    BudgetWaiter first;
    while ((first = budgetWaiters.peek()) != null && !first.call().retryBudget()) {
      budgetWaiters.poll(); // admitted, or closed meanwhile
    }
    long now = System.nanoTime();
    long limitNanos = TimeUnit.MILLISECONDS.toNanos(config.readTimeoutMillis());
    for (Iterator<ResponseWaiter> it = responseWaiters.iterator(); it.hasNext(); ) {
      ResponseWaiter w = it.next();
      if (now - w.sinceNanos() >= limitNanos || w.call().isClosed()) {
        it.remove();
        int size = w.framed().readableBytes();
        waitingResponseBytes -= size;
        w.framed().release();
        w.call().sendError(Status.RESOURCE_EXHAUSTED.withDescription("the server could not hold a response of "
            + size + " bytes within " + config.readTimeoutMillis() + " ms (Http2Options.READ_TIMEOUT): "
            + w.call().serverConnection().responseBytes().exhausted(size) + "; is the client reading?"),
            Metadata.EMPTY);
      }
    }
    for (Iterator<BudgetWaiter> it = budgetWaiters.iterator(); it.hasNext(); ) {
      BudgetWaiter w = it.next();
      if (now - w.sinceNanos() >= limitNanos) {
        it.remove();
        w.call().abort(Status.RESOURCE_EXHAUSTED.withDescription("the server could not hold a message of "
            + w.bytes() + " bytes within " + config.readTimeoutMillis() + " ms (Http2Options.READ_TIMEOUT): "
            + w.call().requestBudget().exhausted(w.bytes()) + "; retry later"));
      }
    }
    budgetWaitersPresent = !budgetWaiters.isEmpty() || !responseWaiters.isEmpty();
    if (budgetWaitersPresent) {
      scheduleBudgetRetry(BUDGET_RETRY_MILLIS);
    }
  }

  /** Returns flow-control credit for {@code bytes} read from {@code stream}. */
  void consume(Http2Stream stream, int bytes) {
    if (bytes <= 0 || stream.state() == Http2Stream.State.CLOSED) {
      return;
    }
    try {
      if (connection().local().flowController().consumeBytes(stream, bytes)) {
        scheduleFlush();
      }
    } catch (Http2Exception e) {
      log.debug("returning flow-control credit failed", e);
    }
  }

  // ---- responses, on the event loop ----

  void writeMessage(GrpcServerStream call, ByteBuf framed, Runnable written) {
    Http2Stream stream = call.stream();
    if (!canWrite(stream)) {
      framed.release();
      if (written != null) {
        written.run();
      }
      return;
    }
    resetPingStrikes();
    writeHeadersIfNeeded(call);
    ChannelPromise promise = ctx.newPromise();
    if (written != null) {
      promise.addListener(f -> written.run());
    }
    encoder().writeData(ctx, stream.id(), framed, 0, false, promise);
    scheduleFlush();
  }

  private void writeHeadersIfNeeded(GrpcServerStream call) {
    if (!call.takeHeadersUnsent()) {
      return;
    }
    Http2Headers headers = new DefaultHttp2Headers(false).status(GrpcProtocol.STATUS_OK)
        .set(GrpcProtocol.CONTENT_TYPE, call.contentType())
        .set(GrpcProtocol.GRPC_ACCEPT_ENCODING, GrpcProtocol.ACCEPTED_ENCODINGS);
    if (call.gzipResponses()) {
      headers.set(GrpcProtocol.GRPC_ENCODING, GrpcProtocol.GZIP);
    }
    GrpcProtocol.writeMetadata(call.responseHeaders(), headers);
    encoder().writeHeaders(ctx, call.stream().id(), headers, 0, false, ctx.newPromise());
  }

  /**
   * Ends the call: trailers after the headers, or a Trailers-Only response. Resets the stream with
   * {@code reset} ({@code CANCEL}), or with {@code NO_ERROR} when the client is still sending.
   */
  void writeTrailers(GrpcServerStream call, Status status, Metadata trailers, boolean reset) {
    Http2Stream stream = call.stream();
    if (!canWrite(stream)) {
      return;
    }
    resetPingStrikes();
    Http2Headers headers = new DefaultHttp2Headers(false);
    if (call.takeHeadersUnsent()) {
      headers.status(GrpcProtocol.STATUS_OK).set(GrpcProtocol.CONTENT_TYPE, call.contentType());
      GrpcProtocol.writeMetadata(call.responseHeaders(), headers);
    }
    statusHeaders(headers, status);
    GrpcProtocol.writeMetadata(trailers, headers);
    ChannelPromise written = ctx.newPromise();
    encoder().writeHeaders(ctx, stream.id(), headers, 0, true, written);
    resetOnceWritten(stream, written, reset ? Http2Error.CANCEL : null);
    scheduleFlush();
  }

  /**
   * Once the response's last frame is on the wire (it may wait behind DATA held by flow control), resets the
   * stream with {@code error}, or with {@code NO_ERROR} if the client is still sending: HTTP/2's way to say "the
   * response is complete, stop the request" (RFC 9113, 8.1).
   */
  private void resetOnceWritten(Http2Stream stream, ChannelPromise written, Http2Error error) {
    written.addListener(f -> {
      if (!f.isSuccess() || stream.state() == Http2Stream.State.CLOSED) {
        return;
      }
      if (error != null || stream.state() == Http2Stream.State.HALF_CLOSED_LOCAL) {
        resetStream(ctx, stream.id(), (error != null ? error : Http2Error.NO_ERROR).code(), ctx.newPromise());
        scheduleFlush();
      }
    });
  }

  private static void statusHeaders(Http2Headers headers, Status status) {
    headers.set(GrpcProtocol.GRPC_STATUS, AsciiString.of(Integer.toString(status.code().value())));
    if (status.description() != null && !status.description().isEmpty()) {
      headers.set(GrpcProtocol.GRPC_MESSAGE, GrpcProtocol.encodeMessage(status.description()));
    }
  }

  private boolean canWrite(Http2Stream stream) {
    Http2Stream.State state = stream.state();
    return state == Http2Stream.State.OPEN || state == Http2Stream.State.HALF_CLOSED_REMOTE;
  }

  private void respondTrailersOnly(Http2Stream stream, CharSequence contentType, Status status) {
    Http2Headers headers = new DefaultHttp2Headers(false).status(GrpcProtocol.STATUS_OK)
        .set(GrpcProtocol.CONTENT_TYPE, contentType == null ? GrpcProtocol.APPLICATION_GRPC : contentType);
    if (status.code() == StatusCode.UNIMPLEMENTED) {
      headers.set(GrpcProtocol.GRPC_ACCEPT_ENCODING, GrpcProtocol.ACCEPTED_ENCODINGS);
    }
    statusHeaders(headers, status);
    finishRefused(stream, headers);
  }

  private void respondHttpError(Http2Stream stream, int httpStatus, Status status) {
    Http2Headers headers = new DefaultHttp2Headers(false).status(AsciiString.of(Integer.toString(httpStatus)))
        .set(GrpcProtocol.CONTENT_TYPE, "text/plain; charset=utf-8");
    statusHeaders(headers, status);
    log.debug("refusing stream {} from {}: HTTP {} {}", stream.id(), remoteAddress(), httpStatus, status);
    finishRefused(stream, headers);
  }

  private void finishRefused(Http2Stream stream, Http2Headers headers) {
    resetPingStrikes();
    ChannelPromise written = ctx.newPromise();
    encoder().writeHeaders(ctx, stream.id(), headers, 0, true, written);
    resetOnceWritten(stream, written, null);
    scheduleFlush();
  }

  // ---- connection life ----

  /**
   * Goes away gracefully, as gRPC servers do, in two steps so that no stream is lost to the race between GOAWAY
   * and a client's new stream: first GOAWAY with the largest stream id and a PING ("open no new streams"); once
   * the PING is acknowledged (the client has seen the GOAWAY) or the keepalive timeout passes, GOAWAY with the
   * last stream actually received. Streams up to it finish; the connection closes once none is left.
   */
  void goAway(String reason) {
    if (goingAway) {
      return;
    }
    goingAway = true;
    goAwayReason = reason;
    goAway(ctx, Integer.MAX_VALUE, Http2Error.NO_ERROR.code(),
        Unpooled.copiedBuffer(reason, StandardCharsets.UTF_8), ctx.newPromise());
    encoder().writePing(ctx, false, GOAWAY_PING, ctx.newPromise());
    flush(ctx);
    finalGoAwayTimer = ctx.executor().schedule(this::finalGoAway, config.keepaliveTimeoutMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void finalGoAway() {
    if (finalGoAwaySent || !ctx.channel().isActive()) {
      return;
    }
    finalGoAwaySent = true;
    if (finalGoAwayTimer != null) {
      finalGoAwayTimer.cancel(false);
    }
    goAway(ctx, connection().remote().lastStreamCreated(), Http2Error.NO_ERROR.code(),
        Unpooled.copiedBuffer(goAwayReason, StandardCharsets.UTF_8), ctx.newPromise());
    flush(ctx);
    closeIfDrained();
  }

  private void closeIfDrained() {
    if (finalGoAwaySent && connection().numActiveStreams() == 0 && ctx.channel().isActive()) {
      ctx.close();
    }
  }

  @Override
  public void onPingAckRead(ChannelHandlerContext context, long data) throws Http2Exception {
    if (data == GOAWAY_PING && goingAway) {
      finalGoAway();
      return;
    }
    super.onPingAckRead(context, data);
  }

  @Override
  public void channelInactive(ChannelHandlerContext context) throws Exception {
    if (finalGoAwayTimer != null) {
      finalGoAwayTimer.cancel(false);
    }
    super.channelInactive(context); // closes the streams: their calls see it
    ResponseWaiter w;
    while ((w = responseWaiters.poll()) != null) {
      w.framed().release();
    }
    waitingResponseBytes = 0;
  }

  @Override
  protected void onConnectionError(ChannelHandlerContext context, boolean outbound, Throwable cause,
      Http2Exception http2Ex) {
    log.warn("closing HTTP/2 connection from {}: {}", context.channel().remoteAddress(),
        http2Ex != null ? http2Ex.getMessage() : String.valueOf(cause));
    super.onConnectionError(context, outbound, cause, http2Ex);
  }

  @Override
  protected void onStreamError(ChannelHandlerContext context, boolean outbound, Throwable cause,
      Http2Exception.StreamException http2Ex) {
    log.debug("resetting stream {} from {}: {}", http2Ex.streamId(), context.channel().remoteAddress(),
        http2Ex.getMessage());
    super.onStreamError(context, outbound, cause, http2Ex);
  }

  // ---- keepalive enforcement and GOAWAY ----

  /**
   * Counts a client's PING against {@link Http2Options#PERMIT_KEEPALIVE_TIME}: too often, more than twice in a row, and
   * the connection goes away with {@code ENHANCE_YOUR_CALM} and {@code too_many_pings}, as grpc-java's servers do.
   * (Netty has acknowledged the PING already.)
   */
  @Override
  public void onPingRead(ChannelHandlerContext context, long data) {
    long now = System.nanoTime();
    long permitted = connection().numActiveStreams() > 0 || config.permitKeepaliveWithoutCalls()
        ? TimeUnit.MILLISECONDS.toNanos(config.permitKeepaliveMillis()) : IDLE_PERMIT_NANOS;
    if (now - lastValidPingNanos >= permitted) {
      lastValidPingNanos = now;
      return;
    }
    if (++pingStrikes > MAX_PING_STRIKES) {
      PING_REFUSALS.refused(context.channel(), "too many pings (more often than every "
          + config.permitKeepaliveMillis() + " ms, Http2Options.PERMIT_KEEPALIVE_TIME)");
      goAway(context, connection().remote().lastStreamCreated(), Http2Error.ENHANCE_YOUR_CALM.code(),
          Unpooled.copiedBuffer("too_many_pings", StandardCharsets.US_ASCII), context.newPromise());
      flush(context);
      context.close();
    }
  }

  /** Headers or data went out: pings are counted afresh (grpc-java's resetCounters). */
  private void resetPingStrikes() {
    lastValidPingNanos = epochNanos;
    pingStrikes = 0;
  }

  @Override
  public void onGoAwayRead(ChannelHandlerContext context, int lastStreamId, long errorCode, ByteBuf debugData) {
    if (errorCode != Http2Error.NO_ERROR.code()) {
      log.debug("client {} sent GOAWAY {}: {}", remoteAddress(), errorCode, ByteBufUtil.hexDump(debugData));
    }
  }
}
