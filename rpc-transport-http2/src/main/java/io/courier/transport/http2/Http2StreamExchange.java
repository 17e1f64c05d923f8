package io.courier.transport.http2;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.ReferenceCountUtil;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A non-gRPC request on one HTTP/2 stream, handed to the {@link Http1Handler} hook: DATA goes to the hook's
 * receiver (its flow-control credit is returned at once: the receiver bounds what it keeps), the response is
 * written by {@link GrpcServerHandler#writeExchangeResponse}. Invariant: the receiver gets content until the last
 * piece, and {@link Receiver#cancelled()} at most once, only if the stream closes before the response was sent;
 * nothing after that.
 */
final class Http2StreamExchange implements HttpExchange {

  private final GrpcServerHandler connection;
  private final Http2Stream stream;
  private final HttpRequest request;
  private final AtomicBoolean responded = new AtomicBoolean();
  private Receiver receiver = Receiver.DISCARD; // event loop only
  private boolean ended; // event loop only: no more content goes to the receiver
  private boolean cancelled; // event loop only

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

  /** Request DATA (or the END_STREAM of trailers), on the event loop; takes ownership of {@code data}. */
  void inbound(ByteBuf data, boolean endOfStream) {
    if (ended) {
      data.release();
      return;
    }
    ended = endOfStream;
    receiver.content(data, endOfStream);
  }

  /** The stream was reset or closed: tells the receiver, unless it was answered already. */
  void closed() {
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
