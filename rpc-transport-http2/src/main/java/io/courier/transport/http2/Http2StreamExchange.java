package io.courier.transport.http2;

import io.courier.common.Status;
import io.courier.transport.ByteBudget;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.ReferenceCountUtil;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A plain HTTP request on one HTTP/2 stream ({@link HttpExchangeAcceptor}), handed to the {@link Http1Handler} hook or
 * the {@code rest} transport's server: DATA goes to their receiver (its flow-control credit is returned at once: the
 * receiver bounds what it keeps), the response is written here, on the event loop. A body that waits for request
 * budget ({@link #awaitBudget}) is held instead, its credit kept and its bytes reported to the connection
 * ({@link Http2ServerConnection#heldForBudget}), until it is admitted (then the receiver gets it) or refused.
 * Invariant: the receiver gets content until the last piece, and {@link Receiver#cancelled()} at most once, only if
 * the stream closes, or its request does not arrive whole within the read timeout, before the response was sent;
 * nothing after that.
 */
final class Http2StreamExchange implements HttpExchange, Http2ServerConnection.InboundStream,
    Http2ServerConnection.BudgetWaiting, Http2ServerConnection.Arriving {

  private static final Logger log = LoggerFactory.getLogger(Http2StreamExchange.class);

  private final Http2ServerConnection connection;
  private final Http2Stream stream;
  private final HttpRequest request;
  private final AtomicBoolean responded = new AtomicBoolean();
  private Receiver receiver = Receiver.DISCARD; // event loop only
  private boolean ended; // event loop only: no more content goes to the receiver
  private boolean cancelled; // event loop only
  // event loop only, while the body waits for budget: what it waits on and for, and the DATA held meanwhile
  private ByteBudget waitBudget;
  private long waitBytes;
  private Runnable admitted;
  private Consumer<Status> refused;
  private final ArrayDeque<ByteBuf> held = new ArrayDeque<>();
  private int heldBytes;
  private final Http2ServerConnection.ArrivalClock arrivalClock = new Http2ServerConnection.ArrivalClock(this);

  Http2StreamExchange(Http2ServerConnection connection, Http2Stream stream, HttpRequest request) {
    this.connection = connection;
    this.stream = stream;
    this.request = request;
  }

  void receiver(Receiver r) {
    this.receiver = r;
  }

  @Override
  public int data(ByteBuf data, boolean endOfStream) {
    return inbound(data, endOfStream);
  }

  /** Request trailers: only END_STREAM matters. */
  @Override
  public void trailers(boolean endOfStream) {
    if (endOfStream) {
      inbound(Unpooled.EMPTY_BUFFER, true);
    }
  }

  /**
   * Request DATA (or the END_STREAM of trailers), on the event loop; takes ownership of {@code data}. Returns the
   * flow-control credit to give back now: all of it, unless the body waits for budget.
   */
  int inbound(ByteBuf data, boolean endOfStream) {
    int bytes = data.readableBytes();
    if (ended) {
      data.release();
      return bytes;
    }
    ended = endOfStream;
    if (endOfStream) {
      connection.arrived(this);
    }
    if (waitBudget != null) {
      held.add(data);
      heldBytes += bytes;
      connection.heldForBudget(bytes);
      return 0;
    }
    receiver.content(data, endOfStream);
    return bytes;
  }

  /** While the body waits for budget the server holds it back, so its arrival clock stops until it is admitted. */
  @Override
  public boolean awaitBudget(ByteBudget budget, long bytes, Runnable onAdmitted, Consumer<Status> onRefused) {
    if (waitBudget != null || !connection.awaitBudget(this, bytes)) {
      return false;
    }
    connection.arrived(this);
    waitBudget = budget;
    waitBytes = bytes;
    admitted = onAdmitted;
    refused = onRefused;
    return true;
  }

  @Override
  public boolean retryBudget() {
    if (waitBudget == null) {
      return false;
    }
    if (cancelled || responded.get()) {
      endWait(false);
      return false;
    }
    if (!waitBudget.tryReserve(waitBytes)) {
      return true;
    }
    Runnable run = admitted;
    endWait(true);
    if (!ended) {
      connection.arriving(this); // admitted: the rest of the body must arrive in time, counted from now
    }
    run.run();
    ByteBuf data;
    while ((data = held.poll()) != null) {
      receiver.content(data, ended && held.isEmpty());
    }
    return false;
  }

  @Override
  public void abort(Status status) {
    if (waitBudget == null) {
      return;
    }
    Consumer<Status> refuse = refused;
    endWait(true);
    ByteBuf data;
    while ((data = held.poll()) != null) {
      data.release();
    }
    refuse.accept(status);
  }

  @Override
  public boolean awaitResponseBudget(ByteBudget budget, int bytes, Consumer<Status> done) {
    if (!eventLoop().inEventLoop()) {
      try {
        eventLoop().execute(() -> {
          if (!awaitResponseBudget(budget, bytes, done)) {
            done.accept(Status.RESOURCE_EXHAUSTED.withDescription("the server cannot hold a response of " + bytes
                + " bytes now: " + budget.exhausted(bytes) + "; retry later"));
          }
        });
      } catch (RuntimeException rejected) { // the event loop shut down: the connection is gone
        return false;
      }
      return true;
    }
    return connection.awaitResponse(new Http2ServerConnection.ResponseWaiting() {
      @Override
      public int size() {
        return bytes;
      }

      @Override
      public boolean isClosed() {
        return cancelled || responded.get() || stream.state() == Http2Stream.State.CLOSED;
      }

      @Override
      public ByteBudget responseBudget() {
        return budget;
      }

      @Override
      public void send() {
        done.accept(null);
      }

      @Override
      public void drop() {
        done.accept(Status.CANCELLED.withDescription("the exchange ended while its response waited"));
      }

      @Override
      public void refuse(Status status) {
        done.accept(status);
      }
    });
  }

  @Override
  public ByteBudget requestBudget() {
    return waitBudget != null ? waitBudget : ByteBudget.unlimited();
  }

  /**
   * Ends a wait: the held bytes stop counting against the connection; with {@code consume} (the stream goes on)
   * their credit goes back now and the held DATA stays for the caller, else the stream's close returns the credit and
   * the held DATA is released.
   */
  private void endWait(boolean consume) {
    waitBudget = null;
    admitted = null;
    refused = null;
    int bytes = heldBytes;
    heldBytes = 0;
    if (bytes > 0) {
      connection.heldForBudget(-bytes);
      if (consume) {
        connection.consume(stream, bytes);
      }
    }
    if (!consume) {
      ByteBuf data;
      while ((data = held.poll()) != null) {
        data.release();
      }
    }
  }

  @Override
  public Http2ServerConnection.ArrivalClock arrivalClock() {
    return arrivalClock;
  }

  /**
   * The request (its body, up to END_STREAM) did not arrive whole within the read timeout: the receiver lets go of it
   * as of a cancelled exchange, and the client gets {@code 408}, or a reset if it was answered already.
   */
  @Override
  public void arrivalTimedOut(long timeoutMillis) {
    endWait(false);
    ended = true;
    if (!cancelled && !responded.get()) {
      cancelled = true;
      receiver.cancelled();
    }
    if (responded.compareAndSet(false, true)) {
      connection.refuseWithBody(stream, 408, Status.RESOURCE_EXHAUSTED.withDescription("the request to "
          + request.method() + " " + request.uri() + " did not arrive whole within " + timeoutMillis
          + " ms (the server's read timeout)"));
    } else {
      connection.cancelStream(stream);
    }
  }

  /** The stream was reset or closed: tells the receiver, unless it was answered already. */
  @Override
  public void closed() {
    connection.arrived(this);
    endWait(false);
    ended = true;
    if (!cancelled && !responded.get()) {
      cancelled = true;
      receiver.cancelled();
    }
  }

  @Override
  public HttpRequest request() {
    return request;
  }

  @Override
  public SocketAddress remoteAddress() {
    return connection.remoteAddress();
  }

  @Override
  public Channel channel() {
    return connection.channel();
  }

  @Override
  public EventLoop eventLoop() {
    return connection.eventLoop();
  }

  @Override
  public ByteBufAllocator alloc() {
    return connection.alloc();
  }

  @Override
  public void respond(FullHttpResponse response, Runnable written) {
    if (!responded.compareAndSet(false, true)) {
      ReferenceCountUtil.release(response);
      run(written);
      return;
    }
    EventLoop loop = eventLoop();
    if (loop.inEventLoop()) {
      write(response, written);
      return;
    }
    try {
      loop.execute(() -> write(response, written));
    } catch (RuntimeException rejected) { // the event loop shut down: the connection is gone
      ReferenceCountUtil.release(response);
      run(written);
    }
  }

  /** Writes the response, on the event loop; takes ownership of {@code response}. */
  private void write(FullHttpResponse response, Runnable onWritten) {
    if (!connection.canWrite(stream)) {
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
      log.warn("cannot write the response to {} {}: {}", request.method(), request.uri(), e.toString());
      headers = new DefaultHttp2Headers(false).status(HttpResponseStatus.INTERNAL_SERVER_ERROR.codeAsText());
      connection.respond(stream, headers);
      if (onWritten != null) {
        onWritten.run();
      }
      return;
    }
    ByteBuf body = response.content();
    ChannelPromise written = connection.newPromise();
    if (onWritten != null) {
      written.addListener(f -> onWritten.run());
    }
    if (body.isReadable()) {
      connection.writeHeaders(stream, headers, false, connection.newPromise());
      connection.writeData(stream, body, true, written);
    } else {
      body.release();
      connection.writeHeaders(stream, headers, true, written);
    }
    connection.resetOnceWritten(stream, written, null);
  }

  private static void run(Runnable task) {
    if (task != null) {
      task.run();
    }
  }
}
