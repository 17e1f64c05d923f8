package io.courier.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2LocalFlowController;
import io.netty.handler.codec.http2.DefaultHttp2RemoteFlowController;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Flags;
import io.netty.handler.codec.http2.Http2FrameListener;
import io.netty.handler.codec.http2.Http2FrameLogger;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.UniformStreamByteDistributor;
import io.netty.handler.logging.LogLevel;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every Courier HTTP/2 connection handler does the same way (in the shape of grpc-java's
 * {@code AbstractNettyHandler}), so that the gRPC server, the gRPC client and the REST h2 client differ only in what
 * they do with streams:
 *
 * <ul>
 *   <li>its connection ({@link #newConnection}) writes DATA in whole frames of 16 KiB however many streams have
 *       data queued, and the channel may queue up to 1 MiB for the socket ({@link #WRITE_BUFFER_WATER_MARK}), so
 *       that a large message leaves in few socket writes;
 *   <li>the connection's flow-control window grows from HTTP/2's 64 KiB to {@code connectionWindow} once the
 *       connection is up (after TLS too), so that many streams can move at once;
 *   <li>writes are flushed once per event-loop task ({@link #scheduleFlush}), not once per frame;
 *   <li>keepalive: on an {@link IdleStateEvent} (from an {@code IdleStateHandler} the owner installs) a PING goes out,
 *       and a peer that does not acknowledge it within {@link #keepaliveTimeoutMillis} is taken for gone and the
 *       connection closed; a subclass may decide otherwise in {@link #onIdle};
 *   <li>PUSH_PROMISE is a connection error (Courier never enables server push); PRIORITY, SETTINGS, WINDOW_UPDATE,
 *       unknown frames and a peer's PING need nothing beyond what Netty does.
 * </ul>
 *
 * <p>The system property {@code courier.http2.frameLog=true} logs every frame at INFO (logger
 * {@code io.netty.handler.codec.http2.Http2FrameLogger}), for debugging interop; see docs/http2.md.
 *
 * <p>Event loop only, like every Netty handler.
 */
public abstract class AbstractHttp2Handler extends Http2ConnectionHandler implements Http2FrameListener {

  private static final Logger log = LoggerFactory.getLogger(AbstractHttp2Handler.class);

  /**
   * The least a stream is given per turn when several have DATA queued: HTTP/2's default frame size. Netty's default
   * distributor gives each queued stream 1 KiB per turn, so that 16 concurrent 1 MiB messages left in about 1 KiB
   * frames, up to 16 times the frames (each with its header, promises and flow-control bookkeeping on both sides).
   * grpc-java uses this distributor with the same chunk ({@code NettyServerHandler}, {@code NettyClientHandler}).
   */
  public static final int MIN_ALLOCATION_CHUNK = 16 * 1024;

  /**
   * How much the connection may queue for the socket before it counts as unwritable. Netty's flow controller writes
   * DATA only while the channel is writable, and Netty's default high mark, 64 KiB, cut a 1 MiB message into 16
   * passes of one socket write each.
   */
  static final WriteBufferWaterMark WRITE_BUFFER_WATER_MARK = new WriteBufferWaterMark(512 * 1024, 1024 * 1024);

  private final int connectionWindow;
  private ChannelHandlerContext context;
  private boolean windowGrown;
  private boolean flushScheduled;
  private ScheduledFuture<?> pingTimeout;

  /** @param connectionWindow the connection's flow-control window, in bytes (at most what HTTP/2 allows) */
  protected AbstractHttp2Handler(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
      Http2Settings settings, int connectionWindow) {
    super(decoder, encoder, settings);
    this.connectionWindow = connectionWindow;
    decoder().frameListener(this);
  }

  /**
   * A connection for a handler builder, with Courier's flow control on both sides. Inbound: a stream's credit is
   * returned only as its bytes are consumed ({@code consumeBytes}), the connection's as frames arrive, each in a
   * WINDOW_UPDATE once half its window is used. Outbound: queued DATA is shared between streams in chunks of at least
   * {@link #MIN_ALLOCATION_CHUNK} bytes. The controllers must be set before the builder makes the encoder, which only
   * fills in missing ones.
   *
   * @param server whether this is the server's end
   */
  public static DefaultHttp2Connection newConnection(boolean server) {
    DefaultHttp2Connection connection = new DefaultHttp2Connection(server);
    connection.local().flowController(new DefaultHttp2LocalFlowController(connection, 0.5f, true));
    UniformStreamByteDistributor distributor = new UniformStreamByteDistributor(connection);
    distributor.minAllocationChunk(MIN_ALLOCATION_CHUNK);
    connection.remote().flowController(new DefaultHttp2RemoteFlowController(connection, distributor));
    return connection;
  }

  /**
   * A frame logger for a handler builder when {@code courier.http2.frameLog} is set, else {@code null}.
   *
   * @param side {@code "client"} or {@code "server"}, in each logged line
   */
  public static Http2FrameLogger frameLogger(String side) {
    return Boolean.getBoolean("courier.http2.frameLog") ? new Http2FrameLogger(LogLevel.INFO, side) : null;
  }

  /** The connection's name in log lines: {@code "the connection to 10.0.0.7:9000"}. */
  protected abstract String connectionName();

  /** How long a keepalive PING may go unanswered before the connection is closed. */
  protected abstract long keepaliveTimeoutMillis();

  /** The handler's context; set once it is added to a pipeline. */
  protected final ChannelHandlerContext context() {
    return context;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    this.context = ctx;
    ctx.channel().config().setWriteBufferWaterMark(WRITE_BUFFER_WATER_MARK);
    super.handlerAdded(ctx); // sends the preface if the channel is active already (after TLS)
    growConnectionWindow(ctx);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    super.channelActive(ctx); // sends the preface (cleartext)
    growConnectionWindow(ctx);
  }

  private void growConnectionWindow(ChannelHandlerContext ctx) throws Http2Exception {
    if (windowGrown || !ctx.channel().isActive()) {
      return;
    }
    windowGrown = true;
    Http2Stream connectionStream = connection().connectionStream();
    int delta = connectionWindow - connection().local().flowController().windowSize(connectionStream);
    if (delta > 0) {
      connection().local().flowController().incrementWindowSize(connectionStream, delta);
      flush(ctx);
    }
  }

  /** Flushes once the current event-loop task is done, however many frames it wrote. */
  protected final void scheduleFlush() {
    if (!flushScheduled) {
      flushScheduled = true;
      context.executor().execute(() -> {
        flushScheduled = false;
        flush(context);
      });
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent) {
      onIdle(ctx);
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  /** The connection was idle for the owner's keepalive time: by default, {@link #ping}. */
  protected void onIdle(ChannelHandlerContext ctx) {
    ping(ctx);
  }

  /**
   * Sends a keepalive PING, unless one is out already; closes the connection if no acknowledgement comes within
   * {@link #keepaliveTimeoutMillis}.
   */
  protected final void ping(ChannelHandlerContext ctx) {
    if (pingTimeout != null) {
      return;
    }
    encoder().writePing(ctx, false, System.nanoTime(), ctx.newPromise());
    flush(ctx);
    long timeout = keepaliveTimeoutMillis();
    pingTimeout = ctx.executor().schedule(() -> {
      log.warn("closing {}: no PING acknowledgement within {} ms ({} streams open)", connectionName(), timeout,
          connection().numActiveStreams());
      ctx.close();
    }, timeout, TimeUnit.MILLISECONDS);
  }

  @Override
  public void onPingAckRead(ChannelHandlerContext ctx, long data) throws Http2Exception {
    if (pingTimeout != null) {
      pingTimeout.cancel(false);
      pingTimeout = null;
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (pingTimeout != null) {
      pingTimeout.cancel(false);
      pingTimeout = null;
    }
    super.channelInactive(ctx);
  }

  // ---- frames that need nothing beyond what Netty does ----

  @Override
  public void onPushPromiseRead(ChannelHandlerContext ctx, int streamId, int promisedStreamId, Http2Headers headers,
      int padding) throws Http2Exception {
    throw Http2Exception.connectionError(Http2Error.PROTOCOL_ERROR,
        "PUSH_PROMISE received, but server push is disabled (SETTINGS_ENABLE_PUSH = 0)");
  }

  @Override
  public void onPriorityRead(ChannelHandlerContext ctx, int streamId, int streamDependency, short weight,
      boolean exclusive) {}

  @Override
  public void onSettingsAckRead(ChannelHandlerContext ctx) {}

  @Override
  public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) {}

  @Override
  public void onPingRead(ChannelHandlerContext ctx, long data) throws Http2Exception {}

  @Override
  public void onWindowUpdateRead(ChannelHandlerContext ctx, int streamId, int windowSizeIncrement) {}

  @Override
  public void onUnknownFrame(ChannelHandlerContext ctx, byte frameType, int streamId, Http2Flags flags,
      ByteBuf payload) {}
}
