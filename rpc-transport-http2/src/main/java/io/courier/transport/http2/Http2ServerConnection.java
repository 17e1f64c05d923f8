package io.courier.transport.http2;

import io.courier.common.Status;
import io.courier.transport.ByteBudget;
import io.courier.transport.netty.AbstractHttp2Handler;
import io.courier.transport.netty.RefusalLog;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
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
import io.netty.util.AsciiString;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server end of one HTTP/2 connection, whatever its streams carry: the connection's streams and their flow
 * control (including the streams and answers that wait for the connection's request and response budgets), keepalive
 * (pings sent, and a client's pings counted against {@link Http2Options#PERMIT_KEEPALIVE_TIME}), and going away
 * gracefully. What a new stream is — a gRPC call, a REST exchange — is its {@link StreamAcceptor}'s to decide: each
 * stream's first HEADERS go to it, and it answers the stream at once ({@link #respond}, {@link #refuse}) or
 * {@link #attach}es the {@link InboundStream} that gets the rest of the request (DATA, trailers, reset or close).
 * Streams answer through the write methods here ({@link #writeHeaders}, {@link #writeData}), on the event loop.
 *
 * <p>Protocol errors are Netty's: a stream error resets that stream, a connection error (an acceptor that throws is
 * one) sends GOAWAY and closes.
 */
final class Http2ServerConnection extends AbstractHttp2Handler {

  private static final Logger log = LoggerFactory.getLogger(Http2ServerConnection.class);
  private static final RefusalLog PING_REFUSALS = new RefusalLog(log);

  private final Http2Config config;
  private final StreamAcceptor acceptor;
  private final Http2Connection.PropertyKey inboundKey;
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

  private Http2ServerConnection(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings,
      Http2Config config, StreamAcceptor acceptor) {
    super(decoder, encoder, settings, config.window() * 2);
    this.config = config;
    this.acceptor = acceptor;
    this.inboundKey = connection().newKey();
    connection().addListener(new Http2ConnectionAdapter() {
      @Override
      public void onStreamClosed(Http2Stream stream) {
        InboundStream inbound = stream.getProperty(inboundKey);
        if (inbound != null) {
          inbound.closed();
        }
        if (goingAway) {
          ctx.executor().execute(Http2ServerConnection.this::closeIfDrained);
        }
      }
    });
  }

  /** A connection whose new streams go to {@code acceptor}, with the settings and limits of {@code config}. */
  static Http2ServerConnection create(Http2Config config, StreamAcceptor acceptor) {
    DefaultHttp2Connection connection = AbstractHttp2Handler.newConnection(true);
    return new Builder(config, connection, acceptor).build();
  }

  /** Builds the handler through Netty's builder, which wires the codec and the connection together. */
  private static final class Builder extends AbstractHttp2ConnectionHandlerBuilder<Http2ServerConnection, Builder> {
    private final Http2Config config;
    private final StreamAcceptor acceptor;

    Builder(Http2Config config, Http2Connection connection, StreamAcceptor acceptor) {
      this.config = config;
      this.acceptor = acceptor;
      connection(connection);
      initialSettings(config.settings(true));
      gracefulShutdownTimeoutMillis(0);
      Http2FrameLogger frames = AbstractHttp2Handler.frameLogger("server");
      if (frames != null) {
        frameLogger(frames);
      }
    }

    @Override
    public Http2ServerConnection build() {
      return super.build();
    }

    @Override
    protected Http2ServerConnection build(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
        Http2Settings settings) {
      return new Http2ServerConnection(decoder, encoder, settings, config, acceptor);
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

  /**
   * What gets the rest of an accepted stream's request, on the event loop: a gRPC call ({@link GrpcServerStream}), an
   * HTTP exchange ({@link Http2StreamExchange}).
   */
  interface InboundStream {

    /**
     * Request DATA; takes ownership of {@code data}. Returns the flow-control credit to give back now (the rest is
     * given back through {@link #consume} as it is read).
     */
    int data(ByteBuf data, boolean endOfStream);

    /** A HEADERS frame after the first: the request's trailers. */
    void trailers(boolean endOfStream);

    /** The client reset the stream, or it closed (answered, or the connection went). */
    void closed();
  }

  /** Makes {@code inbound} get the rest of {@code stream}'s request; called by the acceptor. */
  void attach(Http2Stream stream, InboundStream inbound) {
    stream.setProperty(inboundKey, inbound);
  }

  /** Undoes {@link #attach}: the stream's DATA is dropped (its credit returned). */
  void detach(Http2Stream stream) {
    stream.removeProperty(inboundKey);
  }

  @Override
  public void onHeadersRead(ChannelHandlerContext context, int streamId, Http2Headers headers, int padding,
      boolean endOfStream) throws Http2Exception {
    Http2Stream stream = connection().stream(streamId);
    if (stream == null) {
      return;
    }
    InboundStream inbound = stream.getProperty(inboundKey);
    if (inbound != null) { // request trailers
      inbound.trailers(endOfStream);
      return;
    }
    acceptor.accept(this, stream, headers, endOfStream);
  }

  @Override
  public void onHeadersRead(ChannelHandlerContext context, int streamId, Http2Headers headers, int streamDependency,
      short weight, boolean exclusive, int padding, boolean endOfStream) throws Http2Exception {
    onHeadersRead(context, streamId, headers, padding, endOfStream);
  }

  @Override
  public int onDataRead(ChannelHandlerContext context, int streamId, ByteBuf data, int padding, boolean endOfStream) {
    Http2Stream stream = connection().stream(streamId);
    InboundStream inbound = stream == null ? null : stream.getProperty(inboundKey);
    if (inbound == null) {
      return data.readableBytes() + padding; // refused or finished: drop, return the credit
    }
    return inbound.data(data.retain(), endOfStream) + padding;
  }

  @Override
  public void onRstStreamRead(ChannelHandlerContext context, int streamId, long errorCode) {
    Http2Stream stream = connection().stream(streamId);
    InboundStream inbound = stream == null ? null : stream.getProperty(inboundKey);
    if (inbound != null) {
      inbound.closed();
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

  /**
   * An answer waiting for the connection's response budget: a gRPC stream's encoded unary answer, or a REST response
   * over h2 ({@link Http2StreamExchange#awaitResponseBudget}). Called on the event loop.
   */
  interface ResponseWaiting {

    /** The bytes it needs. */
    int size();

    /** Whether its stream was closed (answered otherwise, reset) while it waited: it is then {@link #drop}ped. */
    boolean isClosed();

    /** The budget it waits on. */
    ByteBudget responseBudget();

    /** Its bytes are reserved: write it (the reservation is its own now). */
    void send();

    /** Its stream was closed, or the connection went: let go of it. */
    void drop();

    /** It waited too long: let go of it and answer the stream with {@code status}. */
    void refuse(Status status);
  }

  /** An answer that did not fit the response budget, since {@code sinceNanos}. */
  private record ResponseWaiter(ResponseWaiting answer, long sinceNanos) {}

  /**
   * An answer does not fit the connection's response budget: it waits, in order, for answers before it to be written
   * — unless the answers waiting already hold a quarter of the budget (then this returns {@code false} and the caller
   * refuses it), and until the read timeout (then it is {@link ResponseWaiting#refuse refused}). So a connection holds
   * at most its response budget and a quarter of it waiting, and a burst of large answers to a client that reads them
   * is not failed.
   */
  boolean awaitResponse(ResponseWaiting answer) {
    if (waitingResponseBytes + answer.size() > answer.responseBudget().limit() / 4) {
      return false;
    }
    waitingResponseBytes += answer.size();
    responseWaiters.add(new ResponseWaiter(answer, System.nanoTime()));
    budgetWaitersPresent = true;
    scheduleBudgetRetry(BUDGET_RETRY_MILLIS);
    return true;
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
    ResponseWaiter waiter;
    while ((waiter = responseWaiters.peek()) != null) {
      ResponseWaiting answer = waiter.answer();
      if (!answer.isClosed() && !answer.responseBudget().tryReserve(answer.size())) {
        break;
      }
      responseWaiters.poll();
      waitingResponseBytes -= answer.size();
      if (answer.isClosed()) {
        answer.drop(); // cancelled while it waited
      } else {
        answer.send();
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
      ResponseWaiting answer = w.answer();
      if (answer.isClosed()) {
        it.remove();
        waitingResponseBytes -= answer.size();
        answer.drop();
      } else if (now - w.sinceNanos() >= limitNanos) {
        it.remove();
        waitingResponseBytes -= answer.size();
        answer.refuse(Status.RESOURCE_EXHAUSTED.withDescription("the server could not hold a response of "
            + answer.size() + " bytes within " + config.readTimeoutMillis() + " ms (Http2Options.READ_TIMEOUT): "
            + answer.responseBudget().exhausted(answer.size()) + "; is the client reading?"));
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

  // ---- requests that must arrive whole within the read timeout, on the event loop ----

  /**
   * What holds request budget or a buffer while its bytes arrive: a gRPC call's request (a unary or server-streaming
   * call's one message and END_STREAM; a streaming call's message in progress), a REST request's body. Like a frame
   * ({@link Http2ReadDeadline}), it must be whole within the read timeout from when it began, however slowly its
   * bytes trickle in, or it {@link #arrivalTimedOut times out}: so that a peer cannot announce a large message, send
   * a few bytes of it and hold the reservation, and the budget every other caller shares, for as long as it likes.
   */
  interface Arriving {

    /** Its clock: one per stream, linked into {@link #arriving} while it runs. */
    ArrivalClock arrivalClock();

    /** It was not whole within {@code timeoutMillis}: end it and let go of what it holds. */
    void arrivalTimedOut(long timeoutMillis);
  }

  /**
   * A node of the connection's list of arriving requests, in the order they began. Every one has the same timeout, so
   * the head expires first: one timer per connection watches the head, and starting or ending one is O(1) with no
   * allocation.
   */
  static final class ArrivalClock {
    private final Arriving owner;
    private ArrivalClock prev;
    private ArrivalClock next;
    private boolean linked;
    private long since;

    ArrivalClock(Arriving owner) {
      this.owner = owner;
    }
  }

  private ArrivalClock arrivingHead;
  private ArrivalClock arrivingTail;
  private ScheduledFuture<?> arrivalCheck;

  /**
   * {@code request} has begun arriving: its clock starts, unless it runs already. No-op without a read timeout, or
   * once the connection is closed.
   */
  void arriving(Arriving request) {
    ArrivalClock c = request.arrivalClock();
    if (c.linked || config.readTimeoutMillis() <= 0 || !ctx.channel().isActive()) {
      return;
    }
    c.linked = true;
    c.since = System.nanoTime();
    c.prev = arrivingTail;
    c.next = null;
    if (arrivingTail == null) {
      arrivingHead = c;
    } else {
      arrivingTail.next = c;
    }
    arrivingTail = c;
    if (arrivalCheck == null) {
      arrivalCheck = ctx.executor().schedule(this::checkArrivals, config.readTimeoutMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** {@code request} is whole, or its stream ended: its clock stops. */
  void arrived(Arriving request) {
    ArrivalClock c = request.arrivalClock();
    if (!c.linked) {
      return;
    }
    c.linked = false;
    if (c.prev == null) {
      arrivingHead = c.next;
    } else {
      c.prev.next = c.next;
    }
    if (c.next == null) {
      arrivingTail = c.prev;
    } else {
      c.next.prev = c.prev;
    }
    c.prev = null;
    c.next = null;
  }

  private void checkArrivals() {
    arrivalCheck = null;
    long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(config.readTimeoutMillis());
    long now = System.nanoTime();
    ArrivalClock c;
    while ((c = arrivingHead) != null && now - c.since >= timeoutNanos) {
      arrived(c.owner);
      try {
        c.owner.arrivalTimedOut(config.readTimeoutMillis());
      } catch (RuntimeException e) {
        log.warn("ending a request that did not arrive in time failed", e);
      }
    }
    if (arrivingHead != null && ctx.channel().isActive()) {
      arrivalCheck = ctx.executor().schedule(this::checkArrivals, arrivingHead.since + timeoutNanos - now,
          TimeUnit.NANOSECONDS);
    }
  }

  /** Resets {@code stream} with {@code CANCEL} (a request that took too long, already answered otherwise). */
  void cancelStream(Http2Stream stream) {
    if (stream.state() != Http2Stream.State.CLOSED) {
      resetStream(ctx, stream.id(), Http2Error.CANCEL.code(), ctx.newPromise());
      scheduleFlush();
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

  /** Whether {@code stream} can still take a response frame: open, or half-closed by the client. */
  boolean canWrite(Http2Stream stream) {
    Http2Stream.State state = stream.state();
    return state == Http2Stream.State.OPEN || state == Http2Stream.State.HALF_CLOSED_REMOTE;
  }

  ChannelPromise newPromise() {
    return ctx.newPromise();
  }

  /** Writes a HEADERS frame on {@code stream} (flushed once this event-loop task is done). */
  void writeHeaders(Http2Stream stream, Http2Headers headers, boolean endOfStream, ChannelPromise promise) {
    resetPingStrikes();
    encoder().writeHeaders(ctx, stream.id(), headers, 0, endOfStream, promise);
    scheduleFlush();
  }

  /** Writes DATA on {@code stream}, taking ownership of {@code data} (flushed once this event-loop task is done). */
  void writeData(Http2Stream stream, ByteBuf data, boolean endOfStream, ChannelPromise promise) {
    resetPingStrikes();
    encoder().writeData(ctx, stream.id(), data, 0, endOfStream, promise);
    scheduleFlush();
  }

  /**
   * Once the response's last frame is on the wire (it may wait behind DATA held by flow control), resets the
   * stream with {@code error}, or with {@code NO_ERROR} if the client is still sending: HTTP/2's way to say "the
   * response is complete, stop the request" (RFC 9113, 8.1).
   */
  void resetOnceWritten(Http2Stream stream, ChannelPromise written, Http2Error error) {
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

  /**
   * Answers a stream its acceptor does not take with {@code httpStatus} and {@code status} as gRPC's
   * {@code grpc-status} and {@code grpc-message} (as gRPC asks of a request that is not gRPC), and ends it.
   */
  void refuse(Http2Stream stream, int httpStatus, Status status) {
    Http2Headers headers = new DefaultHttp2Headers(false).status(AsciiString.of(Integer.toString(httpStatus)))
        .set(GrpcProtocol.CONTENT_TYPE, "text/plain; charset=utf-8");
    GrpcProtocol.statusHeaders(headers, status);
    log.debug("refusing stream {} from {}: HTTP {} {}", stream.id(), remoteAddress(), httpStatus, status);
    respond(stream, headers);
  }

  /**
   * As {@link #refuse}, with the status's description also as the plain-text body, for HTTP clients, which read the
   * body rather than {@code grpc-message}.
   */
  void refuseWithBody(Http2Stream stream, int httpStatus, Status status) {
    ByteBuf body = Unpooled.copiedBuffer(status.description() + "\n", StandardCharsets.UTF_8);
    Http2Headers headers = new DefaultHttp2Headers(false).status(AsciiString.of(Integer.toString(httpStatus)))
        .set(GrpcProtocol.CONTENT_TYPE, "text/plain; charset=utf-8")
        .setInt(CONTENT_LENGTH, body.readableBytes());
    GrpcProtocol.statusHeaders(headers, status);
    log.debug("refusing stream {} from {}: HTTP {} {}", stream.id(), remoteAddress(), httpStatus, status);
    writeHeaders(stream, headers, false, ctx.newPromise());
    ChannelPromise written = ctx.newPromise();
    writeData(stream, body, true, written);
    resetOnceWritten(stream, written, null);
  }

  private static final AsciiString CONTENT_LENGTH = AsciiString.cached("content-length");

  /**
   * Answers {@code stream} with {@code headers} alone (END_STREAM), then resets it with {@code NO_ERROR} if the client
   * is still sending.
   */
  void respond(Http2Stream stream, Http2Headers headers) {
    ChannelPromise written = ctx.newPromise();
    writeHeaders(stream, headers, true, written);
    resetOnceWritten(stream, written, null);
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
    if (arrivalCheck != null) {
      arrivalCheck.cancel(false);
      arrivalCheck = null;
    }
    super.channelInactive(context); // closes the streams: their calls see it
    ResponseWaiter w;
    while ((w = responseWaiters.poll()) != null) {
      w.answer().drop();
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
