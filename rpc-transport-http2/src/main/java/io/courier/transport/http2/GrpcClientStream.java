package io.courier.transport.http2;

import io.courier.client.InternalInvocation;
import io.courier.client.Invocation;
import io.courier.common.Metadata;
import io.courier.common.MethodDescriptor;
import io.courier.common.MethodKind;
import io.courier.common.Status;
import io.courier.common.StatusCode;
import io.courier.serialization.Serializer;
import io.courier.transport.OutboundStream;
import io.courier.transport.StreamListener;
import io.courier.transport.netty.StreamRefusal;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * One gRPC call a client makes on an HTTP/2 stream. The request of a unary or server-streaming call is
 * encoded on the caller's thread before the stream opens; everything else happens on the connection's event
 * loop: response headers are checked (HTTP status, content type, encoding), DATA goes through a
 * {@link MessageDeframer}, and the trailers' {@code grpc-status} completes {@link #result} — after the last
 * message has been delivered, so a streaming caller sees every message before the end.
 *
 * <p>Invariant: {@link #result} completes once ({@link #finished}); whoever completes it releases the
 * request, and on the event loop the deframer. Cancellation (deadline, caller) completes it at once and
 * resets the stream with {@code CANCEL}.
 */
final class GrpcClientStream implements OutboundStream, MessageDeframer.Listener {

  private static final AtomicReferenceFieldUpdater<GrpcClientStream, ByteBuf> REQUEST =
      AtomicReferenceFieldUpdater.newUpdater(GrpcClientStream.class, ByteBuf.class, "request");

  private final Invocation invocation;
  private final MethodDescriptor method;
  private final Serializer serializer;
  private final boolean gzipRequests;
  private final int maxMessageSize;
  private final CompletableFuture<Object> result = new CompletableFuture<>();
  private final AtomicBoolean finished = new AtomicBoolean();
  private final OutboundFlow flow = new OutboundFlow(this::ready);
  private final StreamListener listener;
  private volatile ByteBuf request; // unary and server streaming, until written
  private ByteBuf retained; // a copy of the written request, until the server answers: for a transparent retry
  private volatile Runnable restart; // starts the call again on another connection
  private final StreamRefusal refusal = new StreamRefusal(); // event loop only
  private boolean listenerStarted;
  private volatile GrpcClientHandler connection;
  private volatile int streamId;
  private MessageDeframer deframer; // event loop only
  private boolean headersReceived; // event loop only
  private Status httpError; // event loop only: a non-200 response
  private Metadata headerMetadata = Metadata.EMPTY; // event loop only
  private Object value; // unary, client streaming: the response
  private boolean hasValue;
  private Status endStatus; // set by the trailers, delivered after the last message
  private Metadata endTrailers;

  GrpcClientStream(Invocation invocation, ByteBufAllocator alloc, int maxMessageSize) {
    this.invocation = invocation;
    this.method = invocation.method();
    this.serializer = invocation.serializer();
    this.listener = InternalInvocation.stream(invocation);
    String compression = invocation.options().get(Http2Options.REQUEST_COMPRESSION);
    this.gzipRequests = compression != null && compression.equalsIgnoreCase("gzip");
    this.maxMessageSize = maxMessageSize;
    if (method.kind().clientSendsOneMessage()) {
      Object[] args = invocation.arguments();
      this.request = MessageFramer.frame(alloc, gzipRequests, out -> {
        if (method.kind() == MethodKind.UNARY) {
          serializer.writeArguments(out, args, method.requestTypes());
        } else {
          serializer.write(out, args[0], method.requestTypes()[0]);
        }
      });
    }
    invocation.onCancel(this::cancel);
  }

  CompletableFuture<Object> result() {
    return result;
  }

  Invocation invocation() {
    return invocation;
  }

  MethodDescriptor method() {
    return method;
  }

  boolean gzipRequests() {
    return gzipRequests;
  }

  boolean isFinished() {
    return finished.get();
  }

  /**
   * The request message, handed over once to be written. A copy is kept until the server answers, so that a
   * stream the server refused without processing it (GOAWAY, REFUSED_STREAM) can be sent again elsewhere.
   */
  ByteBuf takeRequest() {
    ByteBuf r = REQUEST.getAndSet(this, null); // a cancel on another thread may release it at the same time
    if (r != null && restart != null) {
      releaseRetained();
      retained = r.retainedDuplicate();
    }
    return r;
  }

  /** How to start this call again on another connection, for streams the server refused unprocessed. */
  void onRestart(Runnable restarter) {
    this.restart = restarter;
  }

  /**
   * The server refused the stream without processing it (it was above a GOAWAY's last stream id, or reset with
   * REFUSED_STREAM). A unary or server-streaming call whose response has not started is sent again on a usable
   * connection, at most twice, as gRPC does ({@link StreamRefusal}, the REST h2 client's rule too); any other call
   * fails with {@code status} (safe to retry). On the event loop.
   */
  void refused(Status status) {
    Runnable r = restart;
    if (r != null && retained != null && !finished.get() && refusal.mayResend(headersReceived)) {
      deframer.close();
      deframer = null;
      connection = null;
      request = retained;
      retained = null;
      r.run(); // picks a usable connection: this one is draining
      return;
    }
    onClosed(status);
  }

  private void releaseRetained() {
    ByteBuf r = retained;
    retained = null;
    if (r != null) {
      r.release();
    }
  }

  /** The call gets stream {@code id} on {@code handler}'s connection; on the event loop, before its HEADERS. */
  void bind(GrpcClientHandler handler, int id) {
    this.connection = handler;
    this.streamId = id;
    this.deframer = new MessageDeframer(this, handler.alloc(), maxMessageSize);
    if (method.kind().serverSendsOneMessage()) {
      deframer.request(2); // the response, and a second one to refuse
    }
  }

  /** The HEADERS (and the request of a unary or server-streaming call) are written; on the event loop. */
  void started() {
    if (method.isOneWay()) {
      result.complete(null); // nobody waits for the answer; the stream still runs to its end
    }
    if (listener != null && !listenerStarted) {
      listenerStarted = true; // once, also when a refused call is sent again
      listener.onStart(this);
    }
  }

  int streamId() {
    return streamId;
  }

  // ---- inbound, on the event loop ----

  void onHeaders(Http2Headers headers, boolean endOfStream) {
    if (finished.get() && !method.isOneWay()) {
      return;
    }
    if (!headersReceived) {
      headersReceived = true;
      releaseRetained(); // the server took the call: it is not sent again
      CharSequence status = headers.status();
      if (status == null || !GrpcProtocol.STATUS_OK.contentEquals(status)) {
        int code = parseInt(status);
        httpError = Status.of(GrpcProtocol.codeForHttpStatus(code)).withDescription("HTTP status code " + status
            + " from the server (expected: 200 for gRPC)");
      } else if (GrpcProtocol.serializerFor(headers.get(GrpcProtocol.CONTENT_TYPE)) == null) {
        httpError = Status.UNKNOWN.withDescription("invalid content-type '" + headers.get(GrpcProtocol.CONTENT_TYPE)
            + "' in the response (expected: application/grpc...)");
      }
      CharSequence encoding = headers.get(GrpcProtocol.GRPC_ENCODING);
      if (encoding != null && !"identity".contentEquals(encoding)) {
        if (!GrpcProtocol.GZIP.contentEqualsIgnoreCase(encoding)) {
          abort(Status.INTERNAL.withDescription("the server used grpc-encoding '" + encoding
              + "', which this client does not support"));
          return;
        }
        deframer.gzip(true);
      }
      if (!endOfStream) {
        headerMetadata = GrpcProtocol.readMetadata(headers, null);
        if (httpError != null) {
          abort(httpError);
        }
        return;
      }
    } else if (!endOfStream) {
      abort(Status.INTERNAL.withDescription("the server sent a second HEADERS frame without END_STREAM"));
      return;
    }
    trailersRead(headers);
  }

  private void trailersRead(Http2Headers trailers) {
    Metadata metadata = headerMetadata.withAll(GrpcProtocol.readMetadata(trailers, null));
    CharSequence grpcStatus = trailers.get(GrpcProtocol.GRPC_STATUS);
    CharSequence grpcMessage = trailers.get(GrpcProtocol.GRPC_MESSAGE);
    String message = grpcMessage == null ? null : GrpcProtocol.decodeMessage(grpcMessage);
    Status status;
    if (httpError != null) {
      status = message == null ? httpError : httpError.augmentDescription(message);
    } else if (grpcStatus == null) {
      status = Status.UNKNOWN.withDescription("the server ended the stream without grpc-status");
    } else {
      status = Status.of(StatusCode.fromValue(parseInt(grpcStatus))).withDescription(message);
    }
    if (!status.isOk()) {
      complete(status, metadata);
      return;
    }
    endStatus = status;
    endTrailers = metadata;
    deframer.deframe(Unpooled.EMPTY_BUFFER, true); // completes once every message is delivered
  }

  void onData(ByteBuf data, boolean endOfStream) {
    if (finished.get() && !method.isOneWay() || deframer.isClosed()) {
      connection.consume(streamId, data.readableBytes());
      data.release();
      return;
    }
    if (!headersReceived) {
      data.release();
      abort(Status.INTERNAL.withDescription("the server sent DATA before HEADERS"));
      return;
    }
    deframer.deframe(data, endOfStream);
  }

  /** RST_STREAM from the server; REFUSED_STREAM never comes here: it goes to {@link #refused(Status)}. */
  void onReset(long errorCode) {
    if (endStatus != null) {
      return; // the response is complete; RST_STREAM(NO_ERROR) only stops our sending
    }
    Status status;
    if (errorCode == Http2Error.CANCEL.code() && invocation.deadline() != null
        && invocation.deadline().isExpired()) {
      // the server gave up at the deadline we sent it (grpc-timeout), before our own timer fired: the call failed
      // by its deadline, not by a cancellation (grpc-java's clients say the same)
      status = Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded calling " + method.fullName()
          + " (the server reset the stream when it passed)");
    } else if (errorCode == Http2Error.CANCEL.code()) {
      status = Status.CANCELLED.withDescription("the server cancelled the stream (RST_STREAM CANCEL)");
    } else if (errorCode == Http2Error.ENHANCE_YOUR_CALM.code()) {
      status = Status.RESOURCE_EXHAUSTED.withDescription("the server reset the stream (ENHANCE_YOUR_CALM)");
    } else if (errorCode == Http2Error.INADEQUATE_SECURITY.code()) {
      status = Status.PERMISSION_DENIED.withDescription("the server reset the stream (INADEQUATE_SECURITY)");
    } else {
      status = Status.INTERNAL.withDescription("the server reset the stream (RST_STREAM code " + errorCode + ")");
    }
    complete(status, headerMetadata);
  }

  /** The stream or connection closed without a status. */
  void onClosed(Status status) {
    if (endStatus == null) {
      complete(status, headerMetadata);
    }
  }

  @Override
  public void messageRead(ByteBuf message, boolean wasCompressed) {
    Object decoded;
    try {
      decoded = serializer.read(message, method.responseType());
    } catch (RuntimeException e) {
      abort(Status.INTERNAL.withDescription("cannot decode a response of " + method.fullName() + " with "
          + serializer.name() + ": " + e.getMessage()).withCause(e));
      return;
    } finally {
      message.release();
    }
    if (method.kind().serverSendsOneMessage()) {
      if (hasValue) {
        abort(Status.INTERNAL.withDescription("more than one response message for " + method.kind() + " method "
            + method.fullName()));
        return;
      }
      hasValue = true;
      if (listener == null) {
        value = decoded;
        return;
      }
    }
    if (!finished.get()) {
      listener.onMessage(decoded); // streaming calls, client streaming's one response included
    }
  }

  @Override
  public void bytesConsumed(int bytes) {
    connection.consume(streamId, bytes);
  }

  @Override
  public void endOfStream() {
    if (endStatus == null) {
      complete(Status.INTERNAL.withDescription("the server ended the stream without trailers"), headerMetadata);
      return;
    }
    if (method.kind().serverSendsOneMessage() && !hasValue && !method.isOneWay()) {
      complete(Status.INTERNAL.withDescription("the server sent no response message for " + method.fullName()),
          endTrailers);
      return;
    }
    complete(endStatus, endTrailers);
  }

  @Override
  public void deframeFailed(Status status) {
    abort(status);
  }

  /** Fails the call and resets the stream; on the event loop. */
  private void abort(Status status) {
    complete(status, headerMetadata);
    GrpcClientHandler c = connection;
    if (c != null) {
      c.reset(streamId, Http2Error.CANCEL);
    }
  }

  private void complete(Status status, Metadata trailers) {
    if (deframer != null) {
      deframer.close();
    }
    releaseRetained();
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    releaseRequest();
    if (status.isOk()) {
      result.complete(listener == null ? value : null);
    } else {
      result.completeExceptionally(status.asException(trailers));
    }
  }

  // ---- cancellation, from any thread ----

  /** Fails a call that never got a stream. */
  void failToStart(Status status) {
    if (finished.compareAndSet(false, true)) {
      releaseRequest();
      result.completeExceptionally(status.asException());
    }
  }

  private void cancel(Status status) {
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    result.completeExceptionally(status.asException());
    GrpcClientHandler c = connection;
    if (c == null) {
      releaseRequest(); // not started: the connection handler drops it when it sees the call finished
      return;
    }
    c.cancelSoon(() -> {
      if (deframer != null) {
        deframer.close();
      }
      releaseRetained();
      releaseRequest();
      c.reset(streamId, Http2Error.CANCEL);
    });
  }

  /** Releases the request unless it was handed over; from any thread (a cancel races the event loop's start). */
  void releaseRequest() {
    ByteBuf r = REQUEST.getAndSet(this, null);
    if (r != null) {
      r.release();
    }
  }

  // ---- OutboundStream, from any thread ----

  @Override
  public void sendMessage(Object message) {
    GrpcClientHandler c = connection;
    if (finished.get() || c == null) {
      return;
    }
    ByteBuf framed = MessageFramer.frame(c.alloc(), gzipRequests,
        out -> serializer.write(out, message, method.requestTypes()[0]));
    int size = framed.readableBytes();
    flow.queued(size);
    run(c.eventLoop(), () -> c.writeData(this, framed, false, () -> flow.written(size)));
  }

  @Override
  public void halfClose() {
    GrpcClientHandler c = connection;
    if (c != null && !finished.get()) {
      run(c.eventLoop(), () -> c.writeData(this, Unpooled.EMPTY_BUFFER, true, null));
    }
  }

  @Override
  public boolean isReady() {
    return connection != null && !finished.get() && flow.isReady();
  }

  @Override
  public void request(int count) {
    GrpcClientHandler c = connection;
    if (c != null) {
      run(c.eventLoop(), () -> {
        if (deframer != null) {
          deframer.request(count);
        }
      });
    }
  }

  private void ready() {
    if (listener != null && !finished.get()) {
      listener.onReady();
    }
  }

  /** The call's timeout for {@code grpc-timeout}, or -1 without a deadline. */
  long timeoutNanos() {
    return invocation.deadline() == null ? -1 : invocation.deadline().timeRemaining(TimeUnit.NANOSECONDS);
  }

  private static void run(EventLoop loop, Runnable task) {
    if (loop.inEventLoop()) {
      task.run();
    } else {
      loop.execute(task);
    }
  }

  private static int parseInt(CharSequence s) {
    try {
      return s == null ? -1 : Integer.parseInt(s.toString().trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
