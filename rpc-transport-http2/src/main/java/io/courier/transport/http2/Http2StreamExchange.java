package io.courier.transport.http2;

import io.courier.common.Status;
import io.courier.transport.ByteBudget;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.ReferenceCountUtil;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A non-gRPC request on one HTTP/2 stream, handed to the {@link Http1Handler} hook: DATA goes to the hook's
 * receiver (its flow-control credit is returned at once: the receiver bounds what it keeps), the response is
 * written by {@link GrpcServerHandler#writeExchangeResponse}. A body that waits for request budget
 * ({@link #awaitBudget}) is held instead, its credit kept and its bytes reported to the connection
 * ({@link GrpcServerHandler#heldForBudget}), until it is admitted (then the receiver gets it) or refused.
 * Invariant: the receiver gets content until the last piece, and {@link Receiver#cancelled()} at most once, only if
 * the stream closes before the response was sent; nothing after that.
 */
final class Http2StreamExchange implements HttpExchange, GrpcServerHandler.BudgetWaiting {

  private final GrpcServerHandler connection;
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

  Http2StreamExchange(GrpcServerHandler connection, Http2Stream stream, HttpRequest request) {
    this.connection = connection;
    this.stream = stream;
    this.request = request;
  }

  void receiver(Receiver r) {
    this.receiver = r;
  }

  Http2Stream stream() {
    return stream;
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
    if (waitBudget != null) {
      held.add(data);
      heldBytes += bytes;
      connection.heldForBudget(bytes);
      return 0;
    }
    receiver.content(data, endOfStream);
    return bytes;
  }

  @Override
  public boolean awaitBudget(ByteBudget budget, long bytes, Runnable onAdmitted, Consumer<Status> onRefused) {
    if (waitBudget != null || !connection.awaitBudget(this, bytes)) {
      return false;
    }
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

  /** The stream was reset or closed: tells the receiver, unless it was answered already. */
  void closed() {
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
      connection.writeExchangeResponse(this, response, written);
      return;
    }
    try {
      loop.execute(() -> connection.writeExchangeResponse(this, response, written));
    } catch (RuntimeException rejected) { // the event loop shut down: the connection is gone
      ReferenceCountUtil.release(response);
      run(written);
    }
  }

  private static void run(Runnable task) {
    if (task != null) {
      task.run();
    }
  }
}
