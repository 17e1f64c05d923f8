package io.courier.transport.rest;

import io.courier.common.Deadline;
import io.courier.common.Metadata;
import io.courier.common.MethodDescriptor;
import io.courier.common.Status;
import io.courier.common.StatusCode;
import io.courier.serialization.SerializationException;
import io.courier.serialization.Serializer;
import io.courier.server.CallHead;
import io.courier.server.InternalServerCalls;
import io.courier.transport.ByteBudget;
import io.courier.transport.CancelListeners;
import io.courier.transport.ServerCall;
import io.courier.transport.ServerConnection;
import io.courier.transport.http2.HttpExchange;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.SocketAddress;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One REST request a server is serving: it collects the body on the event loop (refusing it with {@code 413} as soon
 * as it passes the limit, before keeping more), hands the call to the core once the request is complete, decodes
 * the arguments on the worker that runs the call, and answers with the result's JSON ({@code 204} for a
 * {@code void} method) or with the error body and the status's HTTP status.
 *
 * <p>The deadline ({@code grpc-timeout}) is enforced here too, for synchronous service methods as well: when it
 * passes before the answer, the call is answered {@code 504} and its {@code ServerContext} cancelled.
 *
 * <p>Invariant: the exchange is answered once ({@link #closed}); after that, arriving body bytes are released and
 * nothing more is sent. Cancel listeners run once, only if the client goes away or the deadline passes before the
 * answer.
 */
final class RestServerCall implements ServerCall, HttpExchange.Receiver {

  private final RestServer server;
  private final HttpExchange exchange;
  private final CallHead head;
  private final ServerConnection connection;
  private final RestMapping mapping;
  private final String[] variables;
  private final QueryStringDecoder uri;
  private final Metadata headers;
  private final Deadline deadline;
  private final Serializer bodySerializer;
  private final Serializer responseSerializer;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Metadata responseHeaders = Metadata.EMPTY;
  private final Body body; // guarded by itself: the request body, until read or released
  private long reserved; // guarded by body: bytes of the connection's request budget the body holds
  private int received; // event loop only
  private long reservedUpFront; // event loop only: the body's content-length, once reserved whole
  private final CancelListeners cancelListeners = new CancelListeners();
  private volatile ScheduledFuture<?> deadlineTimer;

  /** @param head the admitted head of the call */
  RestServerCall(RestServer server, HttpExchange exchange, CallHead head, ServerConnection connection,
      RestMapping mapping, String[] variables, QueryStringDecoder uri, Deadline deadline, Serializer bodySerializer,
      Serializer responseSerializer) {
    this.server = server;
    this.exchange = exchange;
    this.head = head;
    this.connection = connection;
    this.mapping = mapping;
    this.variables = variables;
    this.uri = uri;
    this.headers = head.headers();
    this.deadline = deadline;
    this.bodySerializer = bodySerializer;
    this.responseSerializer = responseSerializer;
    this.body = new Body(exchange.alloc());
  }

  // ---- the request body, on the event loop ----

  @Override
  public void content(ByteBuf chunk, boolean last) {
    if (closed.get()) {
      chunk.release();
      return;
    }
    received += chunk.readableBytes();
    if (received > server.maxBodySize || received < 0) {
      chunk.release();
      releaseBody();
      if (closed.compareAndSet(false, true)) {
        exchange.respond(server.errorResponse(exchange, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
            Status.RESOURCE_EXHAUSTED.withDescription("the body is over the limit of " + server.maxBodySize
                + " bytes (RestOptions.MAX_BODY_SIZE on the server)"), Metadata.EMPTY, null, null));
      }
      return;
    }
    int size = chunk.readableBytes();
    // what the content-length reserved up front does not cover (nothing, unless the body is longer than it said)
    int beyond = (int) (Math.max(received, reservedUpFront) - Math.max(received - size, reservedUpFront));
    ByteBudget budget = connection.requestBytes();
    if (beyond > 0 && !budget.tryReserve(beyond)) { // the server holds too much already: refuse rather than buffer
      chunk.release();
      refuseBody(Status.RESOURCE_EXHAUSTED.withDescription("the server cannot hold this request's body now: "
          + budget.exhausted(size) + "; retry later"));
      return;
    }
    synchronized (body) {
      reserved += beyond;
    }
    append(chunk);
    if (last) {
      if (deadline != null) {
        deadlineTimer = exchange.eventLoop().schedule(this::deadlineExceeded, Math.max(1, deadline.remainingNanos()),
            TimeUnit.NANOSECONDS);
      }
      server.calls.handle(this);
    }
  }

  /**
   * Reserves the whole body ({@code length}, its content-length) before any of it arrives. When the budget cannot
   * hold it now, an HTTP/2 request waits for it, its body held unread by flow control ({@link
   * HttpExchange#awaitBudget}), and is refused after the read timeout; otherwise (HTTP/1.1, or too many waiting) the
   * body is reserved as it arrives and refused at once if it does not fit. On the event loop, before any content.
   */
  void reserveBody(long length) {
    ByteBudget budget = connection.requestBytes();
    if (budget.tryReserve(length)) {
      admitBody(length);
      return;
    }
    exchange.awaitBudget(budget, length, () -> admitBody(length), this::refuseBody);
  }

  private void admitBody(long length) {
    synchronized (body) {
      reserved += length;
    }
    reservedUpFront = length;
    if (closed.get()) { // answered meanwhile: give it back
      releaseBody();
    }
  }

  private void refuseBody(Status status) {
    releaseBody();
    if (closed.compareAndSet(false, true)) {
      exchange.respond(server.errorResponse(exchange, null, status, Metadata.EMPTY, null, null));
    }
  }

  private void append(ByteBuf chunk) {
    synchronized (body) {
      body.append(chunk);
    }
  }

  @Override
  public void cancelled() {
    releaseBody();
    if (closed.compareAndSet(false, true)) {
      stopDeadlineTimer();
      runCancelListeners();
    }
  }

  private void deadlineExceeded() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    releaseBody();
    exchange.respond(server.errorResponse(exchange, null, Status.DEADLINE_EXCEEDED.withDescription(
        "deadline exceeded while the server ran " + mapping.method().fullName()), Metadata.EMPTY, null, null));
    runCancelListeners();
  }

  private void stopDeadlineTimer() {
    ScheduledFuture<?> timer = deadlineTimer;
    if (timer != null) {
      timer.cancel(false);
    }
  }

  // ---- ServerCall ----

  @Override
  public MethodDescriptor method() {
    return mapping.method();
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
    return exchange.remoteAddress();
  }

  @Override
  public CallHead head() {
    return head;
  }

  @Override
  public ServerConnection connection() {
    return connection;
  }

  @Override
  public Object[] readArguments() {
    ByteBuf b;
    long held;
    synchronized (body) {
      b = body.take();
      held = reserved;
      reserved = 0;
    }
    connection.requestBytes().release(held); // decoded below, and released
    if (b == null) {
      if (closed.get()) {
        throw new SerializationException("the request of " + mapping.method().fullName() + " is gone (call closed)");
      }
      b = Unpooled.EMPTY_BUFFER;
    }
    try {
      return server.codec.readArguments(mapping, bodySerializer, b, variables, uri.parameters());
    } catch (SerializationException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new SerializationException(bodySerializer.name() + " failed: " + e, e);
    } finally {
      b.release();
    }
  }

  @Override
  public void sendHeaders(Metadata metadata) {
    this.responseHeaders = metadata;
  }

  @Override
  public void sendResponse(Object value, Metadata trailers) {
    if (closed.get()) {
      return;
    }
    FullHttpResponse response;
    if (mapping.method().responseType() == Void.class) {
      response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT,
          Unpooled.EMPTY_BUFFER);
    } else {
      // raw bytes have no null: a null byte[] is answered as JSON's null
      Serializer serializer = value == null && responseSerializer == OctetStreamBody.INSTANCE ? server.codec.json()
          : responseSerializer;
      ByteBuf out;
      try {
        out = server.codec.writeValue(exchange.alloc(), serializer, value, mapping.method().responseType());
      } catch (RuntimeException e) {
        sendError(Status.INTERNAL.withDescription("could not encode the result of " + mapping.method().fullName()
            + " with " + serializer.name() + ": " + e.getMessage()).withCause(e), Metadata.EMPTY);
        return;
      }
      response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, out);
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, RestCodec.contentType(serializer));
    }
    HttpHeaders h = response.headers();
    h.setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
    RestHeaders.writeMetadata(responseHeaders, h);
    RestHeaders.writeMetadata(trailers, h);
    int size = response.content().readableBytes();
    ByteBudget responses = connection.responseBytes();
    if (!responses.tryReserve(size)) { // the client has not read the answers before it, or the server holds too much
      // over h2, wait for them to be read (in order, up to the read timeout); else refuse
      boolean waits = exchange.awaitResponseBudget(responses, size, refusal -> {
        if (refusal == null) {
          respond(response, size);
        } else {
          response.release();
          if (refusal.code() != StatusCode.CANCELLED) {
            sendError(refusal, Metadata.EMPTY);
          }
        }
      });
      if (!waits) {
        response.release();
        sendError(Status.RESOURCE_EXHAUSTED.withDescription("the server cannot hold a response of " + size
            + " bytes now: " + responses.exhausted(size) + "; retry later"), Metadata.EMPTY);
      }
      return;
    }
    respond(response, size);
  }

  /** Sends {@code response}, whose {@code size} bytes of the response budget are reserved. */
  private void respond(FullHttpResponse response, int size) {
    ByteBudget responses = connection.responseBytes();
    if (!closed.compareAndSet(false, true)) {
      response.release();
      responses.release(size);
      return;
    }
    stopDeadlineTimer();
    releaseBody();
    exchange.respond(response, () -> responses.release(size));
  }

  @Override
  public void sendError(Status status, Metadata trailers) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    stopDeadlineTimer();
    releaseBody();
    String exceptionClass = trailers.get(EXCEPTION_CLASS);
    exchange.respond(server.errorResponse(exchange, null, status, responseHeaders.withAll(trailers), exceptionClass,
        null));
  }

  private static final Metadata.Key<String> EXCEPTION_CLASS =
      Metadata.Key.of(InternalServerCalls.EXCEPTION_CLASS_KEY);

  @Override
  public void onCancel(Runnable listener) {
    cancelListeners.add(listener);
  }

  private void runCancelListeners() {
    cancelListeners.cancel();
  }

  private void releaseBody() {
    long held;
    synchronized (body) {
      body.release();
      held = reserved;
      reserved = 0;
    }
    connection.requestBytes().release(held);
  }
}
