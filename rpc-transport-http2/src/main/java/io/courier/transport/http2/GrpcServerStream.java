package io.courier.transport.http2;

import io.courier.common.Deadline;
import io.courier.common.Metadata;
import io.courier.common.MethodDescriptor;
import io.courier.common.MethodKind;
import io.courier.common.Status;
import io.courier.serialization.SerializationException;
import io.courier.serialization.Serializer;
import io.courier.server.CallHead;
import io.courier.transport.ByteBudget;
import io.courier.transport.CancelListeners;
import io.courier.transport.ServerCallHandler;
import io.courier.transport.ServerConnection;
import io.courier.transport.ServerStreamCall;
import io.courier.transport.StreamListener;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One gRPC call a server is serving on an HTTP/2 stream. Inbound DATA goes through a {@link MessageDeframer};
 * unary and server-streaming calls are handed to the core once their one request and the client's
 * END_STREAM have arrived, streaming calls at once. Responses are encoded on the calling (worker) thread and
 * written on the event loop: headers before the first message, trailers with {@code grpc-status} last, or a
 * single Trailers-Only HEADERS frame when nothing was sent before.
 *
 * <p>Invariant: the call is closed once ({@link #closed}); after that nothing more is written, inbound bytes are
 * dropped and their flow-control credit returned. Cancel listeners run once, only if the call is cancelled
 * (RST_STREAM, connection loss, malformed input) before it is closed.
 */
final class GrpcServerStream implements ServerStreamCall, MessageDeframer.Listener,
    Http2ServerConnection.InboundStream, Http2ServerConnection.BudgetWaiting, Http2ServerConnection.Arriving {

  private final Http2ServerConnection connection;
  private final ServerCallHandler calls;
  private final Http2Stream stream;
  private final EventLoop loop;
  private final CallHead head;
  private final ServerConnection serverConnection;
  private final MethodDescriptor method;
  private final Serializer serializer;
  private final CharSequence contentType;
  private final Metadata headers;
  private final Deadline deadline;
  private final boolean clientAcceptsGzip;
  private final MessageDeframer deframer;
  private final OutboundFlow flow = new OutboundFlow(this::ready);
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean argumentsRead = new AtomicBoolean();
  private volatile Metadata responseHeaders = Metadata.EMPTY;
  private volatile boolean wantGzip;
  private Boolean announcedGzip; // guarded by this: grpc-encoding of the response, decided once
  private volatile StreamListener listener;
  private ByteBuf request; // unary and server streaming: the one request, until read
  private long requestReserved; // guarded by this: bytes of the request budget it holds
  private boolean dispatched; // event loop only
  private boolean headersSent; // event loop only
  private final CancelListeners cancelListeners = new CancelListeners();
  private final Http2ServerConnection.ArrivalClock arrivalClock = new Http2ServerConnection.ArrivalClock(this);

  /** @param head the admitted head of the call, whose method is exported */
  GrpcServerStream(Http2ServerConnection connection, Http2Stream stream, CallHead head,
      ServerConnection serverConnection, ServerCallHandler calls, Serializer serializer, CharSequence contentType,
      long timeoutNanos, boolean gzipRequests, boolean clientAcceptsGzip, int maxMessageSize) {
    this.connection = connection;
    this.calls = calls;
    this.stream = stream;
    this.loop = connection.eventLoop();
    this.head = head;
    this.serverConnection = serverConnection;
    this.method = head.method();
    this.serializer = serializer;
    this.contentType = contentType;
    this.headers = head.headers();
    this.deadline = timeoutNanos < 0 ? null : Deadline.after(timeoutNanos, TimeUnit.NANOSECONDS);
    this.clientAcceptsGzip = clientAcceptsGzip;
    this.deframer = new MessageDeframer(this, connection.alloc(), maxMessageSize, serverConnection.requestBytes());
    deframer.gzip(gzipRequests);
    if (method.kind().clientSendsOneMessage()) {
      deframer.request(2); // the request, and a second one to refuse
      connection.arriving(this); // the request half, from its HEADERS to END_STREAM, must arrive in time
    }
  }

  /** Streaming kinds go to the core at once; the others when their request is complete. */
  boolean dispatchesImmediately() {
    return !method.kind().clientSendsOneMessage();
  }

  void markDispatched() {
    dispatched = true;
  }

  // ---- inbound, on the event loop ----

  void inbound(ByteBuf data, boolean endOfStream) {
    if (closed.get()) {
      connection.consume(stream, data.readableBytes());
      data.release();
      return;
    }
    deframer.deframe(data, endOfStream);
  }

  /** DATA: its credit is given back as the deframer reads it ({@link #bytesConsumed}). */
  @Override
  public int data(ByteBuf data, boolean endOfStream) {
    inbound(data, endOfStream);
    return 0;
  }

  /** Request trailers: only END_STREAM matters. */
  @Override
  public void trailers(boolean endOfStream) {
    inbound(Unpooled.EMPTY_BUFFER, endOfStream);
  }

  @Override
  public void closed() {
    cancelledByPeer();
  }

  @Override
  public void messageRead(ByteBuf message, boolean wasCompressed) {
    if (method.kind().clientSendsOneMessage()) {
      if (request != null) {
        message.release();
        abort(Status.INTERNAL.withDescription("more than one request message for " + method.kind() + " method "
            + method.fullName()));
        return;
      }
      long reservation = deframer.takeReservation();
      synchronized (this) {
        request = message;
        requestReserved = reservation;
      }
      return;
    }
    connection.arrived(this);
    Object decoded;
    try {
      decoded = serializer.read(message, method.requestTypes()[0]);
    } catch (RuntimeException e) {
      abort(Status.INTERNAL.withDescription("cannot decode a request message of " + method.fullName() + " with "
          + serializer.name() + ": " + e.getMessage()).withCause(e));
      return;
    } finally {
      message.release();
    }
    StreamListener l = listener;
    if (l != null) {
      l.onMessage(decoded);
    }
  }

  /**
   * A message began: a streaming call's must be whole in time ({@link #messageRead} stops the clock); a unary call's
   * request, whose clock runs from its HEADERS, gets it started again if a wait for budget stopped it.
   */
  @Override
  public void messageBegun() {
    connection.arriving(this);
  }

  @Override
  public Http2ServerConnection.ArrivalClock arrivalClock() {
    return arrivalClock;
  }

  @Override
  public void arrivalTimedOut(long timeoutMillis) {
    abort(Status.RESOURCE_EXHAUSTED.withDescription((method.kind().clientSendsOneMessage()
        ? "the request of " + method.fullName() + " (its message and END_STREAM)"
        : "a request message of " + method.fullName()) + " did not arrive whole within " + timeoutMillis
        + " ms (Http2Options.READ_TIMEOUT)"));
  }

  @Override
  public void bytesConsumed(int bytes) {
    connection.consume(stream, bytes);
  }

  @Override
  public void endOfStream() {
    if (method.kind().clientSendsOneMessage()) {
      if (request == null) {
        abort(Status.INTERNAL.withDescription("the client half-closed without a request for " + method.fullName()));
        return;
      }
      connection.arrived(this);
      if (!dispatched) {
        dispatched = true;
        calls.handle(this);
      }
      return;
    }
    StreamListener l = listener;
    if (l != null) {
      l.onHalfClose();
    }
  }

  @Override
  public void deframeFailed(Status status) {
    abort(status);
  }

  /**
   * The next message waits for request budget: the server, not the client, holds it back (its unread bytes keep the
   * stream's window shut), so the arrival clock stops until it is admitted ({@link #messageBegun} starts it afresh);
   * the wait has its own bound, the same read timeout.
   */
  @Override
  public boolean awaitBudget(long bytes) {
    boolean waits = connection.awaitBudget(this, bytes);
    if (waits) {
      connection.arrived(this);
    }
    return waits;
  }

  @Override
  public void heldForBudget(int delta) {
    connection.heldForBudget(delta);
  }

  ServerConnection serverConnection() {
    return serverConnection;
  }

  @Override
  public ByteBudget requestBudget() {
    return serverConnection.requestBytes();
  }

  /** On the event loop: tries again to reserve the message this call waits for; returns whether it still waits. */
  @Override
  public boolean retryBudget() {
    return deframer.retryBudget();
  }

  /** The client reset the stream, or the connection closed, before the call was closed. */
  void cancelledByPeer() {
    connection.arrived(this);
    deframer.close();
    releaseRequest();
    if (closed.compareAndSet(false, true)) {
      runCancelListeners();
    }
  }

  /** Ends a call the transport cannot go on with: sends the status and resets the stream, cancels the core's. */
  @Override
  public void abort(Status status) {
    connection.arrived(this);
    deframer.close();
    if (closed.compareAndSet(false, true)) {
      writeTrailers(status, Metadata.EMPTY, true);
      releaseRequest();
      runCancelListeners();
    }
  }

  // ---- ServerCall ----

  @Override
  public MethodDescriptor method() {
    return method;
  }

  @Override
  public Metadata headers() {
    return headers;
  }

  @Override
  public Deadline deadline() {
    return deadline;
  }

  @Override
  public SocketAddress remoteAddress() {
    return connection.remoteAddress();
  }

  @Override
  public CallHead head() {
    return head;
  }

  @Override
  public ServerConnection connection() {
    return serverConnection;
  }

  @Override
  public Object[] readArguments() {
    if (!argumentsRead.compareAndSet(false, true)) {
      throw new IllegalStateException("arguments of " + method.fullName() + " were already read");
    }
    ByteBuf body;
    long reservation;
    synchronized (this) {
      body = request;
      reservation = requestReserved;
      request = null;
      requestReserved = 0;
    }
    if (body == null) {
      throw new SerializationException("the request of " + method.fullName() + " is gone (call closed)");
    }
    try {
      if (method.kind() == MethodKind.UNARY) {
        return serializer.readArguments(body, method.requestTypes());
      }
      return new Object[] {serializer.read(body, method.requestTypes()[0])};
    } catch (SerializationException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new SerializationException(serializer.name() + " failed: " + e, e);
    } finally {
      body.release();
      serverConnection.requestBytes().release(reservation);
    }
  }

  @Override
  public void sendHeaders(Metadata responseMetadata) {
    this.responseHeaders = responseMetadata;
  }

  @Override
  public void setCompression(String encoding) {
    this.wantGzip = "gzip".equalsIgnoreCase(encoding) && clientAcceptsGzip;
  }

  @Override
  public void sendResponse(Object value, Metadata trailers) {
    if (closed.get()) {
      return;
    }
    ByteBuf framed = null;
    if (method.kind().serverSendsOneMessage()) {
      try {
        framed = frame(value);
      } catch (RuntimeException e) {
        sendError(Status.INTERNAL.withDescription("could not encode the result of " + method.fullName() + " with "
            + serializer.name() + ": " + e.getMessage()).withCause(e), Metadata.EMPTY);
        return;
      }
    }
    int size = framed == null ? 0 : framed.readableBytes();
    ByteBudget responses = serverConnection.responseBytes();
    if (framed != null && !responses.tryReserve(size)) { // the peer reads slowly, or not at all: wait a while
      ByteBuf waiting = framed;
      run(() -> awaitResponseBudget(waiting, trailers));
      return;
    }
    writeResponse(framed, size, trailers);
  }

  /** Writes a unary response whose {@code size} bytes are reserved in the response budget. */
  void writeResponse(ByteBuf framed, int size, Metadata trailers) {
    ByteBudget responses = serverConnection.responseBytes();
    if (!closed.compareAndSet(false, true)) {
      if (framed != null) {
        framed.release();
        responses.release(size);
      }
      return;
    }
    ByteBuf message = framed;
    run(() -> {
      if (message != null) {
        writeMessage(message, () -> {
          responses.release(size);
          connection.budgetReleased();
        });
      }
      writeTrailers(Status.OK, trailers, false);
      deframer.close();
      releaseRequest();
    });
  }

  @Override
  public void sendError(Status status, Metadata trailers) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    run(() -> {
      writeTrailers(status, trailers, false);
      deframer.close();
      releaseRequest();
    });
  }

  @Override
  public void onCancel(Runnable cancelListener) {
    cancelListeners.add(cancelListener);
  }

  // ---- ServerStreamCall ----

  @Override
  public void start(StreamListener streamListener) {
    this.listener = streamListener;
  }

  @Override
  public void sendMessage(Object message) {
    if (closed.get()) {
      return;
    }
    ByteBuf framed = frame(message);
    int size = framed.readableBytes();
    ByteBudget responses = serverConnection.responseBytes();
    if (!responses.tryReserve(size)) { // a peer that does not read: the stream stops being produced
      framed.release();
      Status exhausted = Status.RESOURCE_EXHAUSTED.withDescription("the server cannot hold another message of "
          + size + " bytes for " + method.fullName() + ": " + responses.exhausted(size)
          + " (is the client reading? producers should wait for isReady())");
      run(() -> abort(exhausted));
      return;
    }
    flow.queued(size);
    run(() -> writeMessage(framed, () -> {
      flow.written(size);
      responses.release(size);
    }));
  }

  @Override
  public void halfClose() {
    // servers end a call with sendResponse or sendError
  }

  @Override
  public boolean isReady() {
    return !closed.get() && flow.isReady();
  }

  @Override
  public void request(int count) {
    run(() -> deframer.request(count));
  }

  // ---- writing, on the event loop ----

  /**
   * A unary response ({@code framed}, encoded) does not fit the connection's response budget: the client has not read
   * the answers before it yet. It waits ({@link Http2ServerConnection#awaitResponse}), or is refused
   * {@code RESOURCE_EXHAUSTED} when it may not.
   */
  private void awaitResponseBudget(ByteBuf framed, Metadata trailers) {
    if (isClosed()) {
      framed.release();
      return;
    }
    Answer answer = new Answer(this, framed, trailers, framed.readableBytes());
    if (!connection.awaitResponse(answer)) {
      answer.refuse(Status.RESOURCE_EXHAUSTED.withDescription("the server cannot hold a response of "
          + answer.size() + " bytes now: " + answer.responseBudget().exhausted(answer.size()) + "; retry later"));
    }
  }

  /** A unary answer, encoded, waiting for response budget. */
  private record Answer(GrpcServerStream call, ByteBuf framed, Metadata trailers, int size)
      implements Http2ServerConnection.ResponseWaiting {

    @Override
    public boolean isClosed() {
      return call.isClosed();
    }

    @Override
    public ByteBudget responseBudget() {
      return call.serverConnection().responseBytes();
    }

    @Override
    public void send() {
      call.writeResponse(framed, size, trailers);
    }

    @Override
    public void drop() {
      framed.release();
    }

    @Override
    public void refuse(Status status) {
      framed.release();
      call.sendError(status, Metadata.EMPTY);
    }
  }

  private void writeMessage(ByteBuf framed, Runnable written) {
    if (!connection.canWrite(stream)) {
      framed.release();
      if (written != null) {
        written.run();
      }
      return;
    }
    writeHeadersIfNeeded();
    ChannelPromise promise = connection.newPromise();
    if (written != null) {
      promise.addListener(f -> written.run());
    }
    connection.writeData(stream, framed, false, promise);
  }

  private void writeHeadersIfNeeded() {
    if (!takeHeadersUnsent()) {
      return;
    }
    Http2Headers headers = new DefaultHttp2Headers(false).status(GrpcProtocol.STATUS_OK)
        .set(GrpcProtocol.CONTENT_TYPE, contentType)
        .set(GrpcProtocol.GRPC_ACCEPT_ENCODING, GrpcProtocol.ACCEPTED_ENCODINGS);
    if (gzipResponses()) {
      headers.set(GrpcProtocol.GRPC_ENCODING, GrpcProtocol.GZIP);
    }
    GrpcProtocol.writeMetadata(responseHeaders, headers);
    connection.writeHeaders(stream, headers, false, connection.newPromise());
  }

  /**
   * Ends the call: trailers after the headers, or a Trailers-Only response. Resets the stream with
   * {@code reset} ({@code CANCEL}), or with {@code NO_ERROR} when the client is still sending.
   */
  private void writeTrailers(Status status, Metadata trailers, boolean reset) {
    if (!connection.canWrite(stream)) {
      return;
    }
    Http2Headers headers = new DefaultHttp2Headers(false);
    if (takeHeadersUnsent()) {
      headers.status(GrpcProtocol.STATUS_OK).set(GrpcProtocol.CONTENT_TYPE, contentType);
      GrpcProtocol.writeMetadata(responseHeaders, headers);
    }
    GrpcProtocol.statusHeaders(headers, status);
    GrpcProtocol.writeMetadata(trailers, headers);
    ChannelPromise written = connection.newPromise();
    connection.writeHeaders(stream, headers, true, written);
    connection.resetOnceWritten(stream, written, reset ? Http2Error.CANCEL : null);
  }

  /**
   * Whether the response announces {@code grpc-encoding: gzip}: decided by the compression asked for when the
   * first message or the headers go out. Later messages are compressed or not as asked, but only if announced.
   */
  private synchronized boolean gzipResponses() {
    if (announcedGzip == null) {
      announcedGzip = wantGzip;
    }
    return announcedGzip;
  }

  /** Returns whether the response headers still had to be sent (and marks them sent). */
  private boolean takeHeadersUnsent() {
    boolean unsent = !headersSent;
    headersSent = true;
    return unsent;
  }

  boolean isClosed() {
    return closed.get();
  }

  private void ready() {
    StreamListener l = listener;
    if (l != null && !closed.get()) {
      l.onReady();
    }
  }

  private ByteBuf frame(Object value) {
    return MessageFramer.frame(connection.alloc(), gzipResponses() && wantGzip,
        out -> serializer.write(out, value, method.responseType()));
  }

  private void releaseRequest() {
    ByteBuf body;
    long reservation;
    synchronized (this) {
      body = request;
      reservation = requestReserved;
      request = null;
      requestReserved = 0;
    }
    if (body != null) {
      body.release();
      serverConnection.requestBytes().release(reservation);
      connection.budgetReleased();
    }
  }

  private void runCancelListeners() {
    cancelListeners.cancel();
  }

  private void run(Runnable task) {
    if (loop.inEventLoop()) {
      task.run();
    } else {
      try {
        loop.execute(task);
      } catch (RuntimeException rejected) { // event loop shut down: the connection is gone
        releaseRequest();
      }
    }
  }
}
