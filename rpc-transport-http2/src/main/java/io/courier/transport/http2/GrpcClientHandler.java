package io.courier.transport.http2;

import io.courier.common.Endpoint;
import io.courier.common.MethodDescriptor;
import io.courier.common.Status;
import io.courier.transport.ConnectionLostException;
import io.courier.transport.netty.AbstractHttp2Handler;
import io.courier.transport.netty.StreamRefusal;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
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
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client end of one HTTP/2 connection: opens a stream per call (queued by Netty's
 * {@code StreamBufferingEncoder} while the server's {@code MAX_CONCURRENT_STREAMS} is reached), routes
 * HEADERS, DATA and RST_STREAM to the call's {@link GrpcClientStream}, sends keepalive pings, and drains on
 * GOAWAY: calls the server accepted finish, calls it did not fail with {@code UNAVAILABLE} (safe to retry),
 * new calls go to another connection, and the connection closes once idle.
 *
 * <p>Invariant: a call is in {@link #calls} from the moment its HEADERS are written until it is complete or
 * its stream closes; every state change happens on the event loop.
 */
final class GrpcClientHandler extends AbstractHttp2Handler {

  private static final Logger log = LoggerFactory.getLogger(GrpcClientHandler.class);

  private final Endpoint endpoint;
  private final AsciiString authority;
  private final AsciiString scheme;
  private final Http2Config config;
  private final IntObjectMap<GrpcClientStream> calls = new IntObjectHashMap<>();
  /** Cancellations from any thread, run on the event loop before it reads anything more ({@link #channelRead}). */
  private final Queue<Runnable> cancellations = new ConcurrentLinkedQueue<>();
  /** The :path of each method called on this connection, built once; used on the event loop only. */
  private final Map<MethodDescriptor, AsciiString> paths = new HashMap<>();
  private ChannelHandlerContext ctx;
  private volatile boolean draining;
  private int goAwayLastStreamId = Integer.MAX_VALUE; // streams above it were refused unprocessed
  private volatile boolean closed;

  private GrpcClientHandler(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings,
      Endpoint endpoint, boolean tls, Http2Config config) {
    super(decoder, encoder, settings, config.window() * 2);
    this.endpoint = endpoint;
    this.authority = AsciiString.of(endpoint.toString());
    this.scheme = AsciiString.of(tls ? "https" : "http");
    this.config = config;
    connection().addListener(new Http2ConnectionAdapter() {
      @Override
      public void onGoAwayReceived(int lastStreamId, long errorCode, ByteBuf debugData) {
        // before Netty closes the streams above lastStreamId, so that their calls restart elsewhere
        draining = true;
        goAwayLastStreamId = Math.min(goAwayLastStreamId, lastStreamId);
      }

      @Override
      public void onStreamClosed(Http2Stream stream) {
        GrpcClientStream call = calls.remove(stream.id());
        if (call != null && stream.id() > goAwayLastStreamId) {
          call.refused(StreamRefusal.wentAway(endpoint, call.method().fullName()));
        } else if (call != null) {
          String why = "the stream to " + endpoint + " closed before the call completed"
              + (draining ? " (the server is going away)" : "");
          call.onClosed(Status.UNAVAILABLE.withDescription(why).withCause(new ConnectionLostException(why)));
        }
        if (draining && connection().numActiveStreams() <= 1 && calls.isEmpty()) {
          ctx.executor().execute(GrpcClientHandler.this::closeIfDrained);
        }
      }
    });
  }

  static GrpcClientHandler create(Endpoint endpoint, boolean tls, Http2Config config) {
    DefaultHttp2Connection connection = AbstractHttp2Handler.newConnection(false);
    return new Builder(endpoint, tls, config, connection).build();
  }

  private static final class Builder extends AbstractHttp2ConnectionHandlerBuilder<GrpcClientHandler, Builder> {
    private final Endpoint endpoint;
    private final boolean tls;
    private final Http2Config config;

    Builder(Endpoint endpoint, boolean tls, Http2Config config, Http2Connection connection) {
      this.endpoint = endpoint;
      this.tls = tls;
      this.config = config;
      connection(connection);
      initialSettings(config.settings(false));
      encoderEnforceMaxConcurrentStreams(true);
      gracefulShutdownTimeoutMillis(0);
      Http2FrameLogger frames = AbstractHttp2Handler.frameLogger("client");
      if (frames != null) {
        frameLogger(frames);
      }
    }

    @Override
    public GrpcClientHandler build() {
      return super.build();
    }

    @Override
    protected GrpcClientHandler build(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
        Http2Settings settings) {
      return new GrpcClientHandler(decoder, encoder, settings, endpoint, tls, config);
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext context) throws Exception {
    this.ctx = context;
    super.handlerAdded(context);
  }

  @Override
  protected String connectionName() {
    return "the connection to " + endpoint;
  }

  @Override
  protected long keepaliveTimeoutMillis() {
    return config.keepaliveTimeoutMillis();
  }

  EventLoop eventLoop() {
    return ctx.channel().eventLoop();
  }

  /**
   * Runs {@code cancellation} (which resets a call's stream) on the event loop, and before the connection reads
   * anything more: a stream still waiting for the server's MAX_CONCURRENT_STREAMS would otherwise be sent when a
   * response read first frees a slot, after its caller was told the call was over.
   *
   * @throws RejectedExecutionException if the event loop has shut down
   */
  void cancelSoon(Runnable cancellation) {
    cancellations.add(cancellation);
    eventLoop().execute(this::runCancellations);
  }

  private void runCancellations() {
    Runnable cancellation;
    while ((cancellation = cancellations.poll()) != null) {
      cancellation.run();
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext context, Object msg) throws Exception {
    runCancellations();
    super.channelRead(context, msg);
  }

  ByteBufAllocator alloc() {
    return ctx.alloc();
  }

  /** Whether new calls may use this connection. */
  boolean isUsable() {
    return !closed && !draining && ctx != null && ctx.channel().isActive() && !connection().goAwayReceived();
  }

  /** Calls with an open stream on this connection, read on its event loop; for tests. Not from the event loop. */
  int pendingCalls() {
    if (ctx == null) {
      return 0;
    }
    try {
      return ctx.executor().submit(calls::size).get(5, TimeUnit.SECONDS);
    } catch (RejectedExecutionException e) { // the event loop has stopped: nothing changes the table any more
      return calls.size();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted counting the calls on " + connectionName(), e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not count the calls on " + connectionName(), e);
    }
  }

  // ---- calls, on the event loop ----

  /** Opens the call's stream: HEADERS, then the request (unary, server streaming) or the outbound stream. */
  void start(GrpcClientStream call) {
    if (call.isFinished()) {
      call.releaseRequest(); // cancelled before it started (the cancel may be releasing it too: one of them does)
      return;
    }
    long timeoutNanos = call.timeoutNanos();
    MethodDescriptor method = call.method();
    if (call.invocation().deadline() != null && timeoutNanos <= 0) {
      call.failToStart(Status.DEADLINE_EXCEEDED.withDescription("deadline expired before " + method.fullName()
          + " was sent"));
      return;
    }
    int id;
    try {
      id = connection().local().incrementAndGetNextStreamId();
    } catch (RuntimeException e) {
      call.failToStart(Status.UNAVAILABLE.withDescription("no stream ids left on the connection to " + endpoint));
      draining = true;
      return;
    }
    if (id < 0) {
      draining = true;
      call.failToStart(Status.UNAVAILABLE.withDescription("no stream ids left on the connection to " + endpoint));
      return;
    }
    Http2Headers headers = new DefaultHttp2Headers(false)
        .method(GrpcProtocol.POST).scheme(scheme).authority(authority)
        .path(paths.computeIfAbsent(method, m -> AsciiString.of("/" + m.service().name() + "/" + m.name())))
        .set(GrpcProtocol.CONTENT_TYPE, GrpcProtocol.contentTypeFor(call.invocation().serializer().name()))
        .set(GrpcProtocol.TE, GrpcProtocol.TRAILERS)
        .set(GrpcProtocol.USER_AGENT, GrpcProtocol.USER_AGENT_VALUE)
        .set(GrpcProtocol.GRPC_ACCEPT_ENCODING, GrpcProtocol.ACCEPTED_ENCODINGS);
    if (timeoutNanos > 0) {
      headers.set(GrpcProtocol.GRPC_TIMEOUT, GrpcProtocol.encodeTimeout(timeoutNanos));
    }
    if (call.gzipRequests()) {
      headers.set(GrpcProtocol.GRPC_ENCODING, GrpcProtocol.GZIP);
    }
    GrpcProtocol.writeMetadata(call.invocation().options().headers(), headers);
    calls.put(id, call);
    call.bind(this, id);
    if (call.isFinished()) {
      // cancelled while this ran: a cancel that saw no connection yet released the request itself, one that saw this
      // one queued its own release (GrpcClientStream.cancel); either way the stream is never opened
      calls.remove(id);
      return;
    }
    ChannelPromise headersWritten = ctx.newPromise();
    headersWritten.addListener(f -> {
      if (!f.isSuccess()) {
        GrpcClientStream failed = calls.remove(id);
        if (failed != null) {
          // e.g. a stream still queued for MAX_CONCURRENT_STREAMS when GOAWAY arrived: never sent
          failed.refused(StreamRefusal.notSent(endpoint, method.fullName(), String.valueOf(f.cause()), f.cause()));
        }
      }
    });
    encoder().writeHeaders(ctx, id, headers, 0, false, headersWritten);
    ByteBuf request = call.takeRequest();
    if (request != null) {
      encoder().writeData(ctx, id, request, 0, true, ctx.newPromise());
    }
    call.started(); // the stream exists now: the caller may send
    scheduleFlush();
  }

  void writeData(GrpcClientStream call, ByteBuf data, boolean endOfStream, Runnable written) {
    if (call.isFinished() || !calls.containsKey(call.streamId())) {
      data.release();
      if (written != null) {
        written.run();
      }
      return;
    }
    ChannelPromise promise = ctx.newPromise();
    if (written != null) {
      promise.addListener(f -> written.run());
    }
    encoder().writeData(ctx, call.streamId(), data, 0, endOfStream, promise);
    scheduleFlush();
  }

  /**
   * Resets a call's stream through the encoder: a stream still queued for the server's MAX_CONCURRENT_STREAMS (Netty's
   * {@code StreamBufferingEncoder}) is dropped from the queue, never reset on the wire, which would be a protocol
   * error for a stream the server has not seen and cost the whole connection.
   */
  void reset(int streamId, Http2Error error) {
    GrpcClientStream call = calls.remove(streamId);
    Http2Stream stream = connection().stream(streamId);
    if (call != null || stream != null) {
      encoder().writeRstStream(ctx, streamId, error.code(), ctx.newPromise());
      scheduleFlush();
    }
  }

  void consume(int streamId, int bytes) {
    Http2Stream stream = connection().stream(streamId);
    if (bytes <= 0 || stream == null || stream.state() == Http2Stream.State.CLOSED) {
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

  // ---- frames ----

  @Override
  public void onHeadersRead(ChannelHandlerContext context, int streamId, Http2Headers headers, int padding,
      boolean endOfStream) {
    GrpcClientStream call = calls.get(streamId);
    if (call != null) {
      call.onHeaders(headers, endOfStream);
      if (endOfStream) {
        calls.remove(streamId);
      }
    }
  }

  @Override
  public void onHeadersRead(ChannelHandlerContext context, int streamId, Http2Headers headers, int streamDependency,
      short weight, boolean exclusive, int padding, boolean endOfStream) {
    onHeadersRead(context, streamId, headers, padding, endOfStream);
  }

  @Override
  public int onDataRead(ChannelHandlerContext context, int streamId, ByteBuf data, int padding, boolean endOfStream) {
    GrpcClientStream call = calls.get(streamId);
    if (call == null) {
      return data.readableBytes() + padding;
    }
    call.onData(data.retain(), endOfStream);
    if (endOfStream) {
      calls.remove(streamId);
    }
    return padding;
  }

  @Override
  public void onRstStreamRead(ChannelHandlerContext context, int streamId, long errorCode) {
    GrpcClientStream call = calls.remove(streamId);
    if (call != null && errorCode == Http2Error.REFUSED_STREAM.code()) {
      call.refused(StreamRefusal.refusedStream(endpoint, call.method().fullName()));
    } else if (call != null) {
      call.onReset(errorCode);
    }
  }

  /** Runs when the server goes away saying {@code too_many_pings} (the transport then pings less often). */
  void onTooManyPings(Runnable callback) {
    this.tooManyPings = callback;
  }

  private Runnable tooManyPings = () -> { };

  @Override
  public void onGoAwayRead(ChannelHandlerContext context, int lastStreamId, long errorCode, ByteBuf debugData) {
    if (errorCode == Http2Error.ENHANCE_YOUR_CALM.code()
        && "too_many_pings".contentEquals(debugData.toString(StandardCharsets.US_ASCII))) {
      tooManyPings.run();
    }
    draining = true;
    goAwayLastStreamId = Math.min(goAwayLastStreamId, lastStreamId);
    log.debug("{} is going away (last stream {}, code {}); {} calls still open", endpoint, lastStreamId, errorCode,
        calls.size());
    context.executor().execute(this::closeIfDrained);
  }

  /** Takes no new calls and closes once the calls it carries have ended (discovery dropped the provider). */
  void drain() {
    try {
      ctx.executor().execute(() -> {
        draining = true;
        closeIfDrained();
      });
    } catch (RejectedExecutionException e) { // the event loop has stopped: the connection is closed already
      draining = true;
    }
  }

  private void closeIfDrained() {
    if (calls.isEmpty() && connection().numActiveStreams() == 0 && ctx.channel().isActive()) {
      ctx.close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext context) throws Exception {
    closed = true;
    // A call with a stream was on the wire: it may have run, so only an idempotent one may be retried elsewhere. One
    // without a stream still waited for the server's MAX_CONCURRENT_STREAMS (StreamBufferingEncoder): never sent.
    Status lost = Status.UNAVAILABLE.withDescription("connection to " + endpoint + " closed")
        .withCause(new ConnectionLostException("connection to " + endpoint + " closed with calls in flight"));
    List<GrpcClientStream> sent = new ArrayList<>();
    List<GrpcClientStream> unsent = new ArrayList<>();
    for (IntObjectMap.PrimitiveEntry<GrpcClientStream> e : calls.entries()) {
      (connection().stream(e.key()) == null ? unsent : sent).add(e.value());
    }
    calls.clear();
    for (GrpcClientStream call : sent) {
      call.onClosed(lost);
    }
    for (GrpcClientStream call : unsent) {
      call.refused(StreamRefusal.notSent(endpoint, call.method().fullName(), "the connection closed while the call"
          + " waited for a stream (the server's MAX_CONCURRENT_STREAMS)", null));
    }
    super.channelInactive(context);
  }

  @Override
  protected void onConnectionError(ChannelHandlerContext context, boolean outbound, Throwable cause,
      Http2Exception http2Ex) {
    if (!(cause instanceof ClosedChannelException)) {
      log.warn("closing HTTP/2 connection to {}: {}", endpoint, http2Ex != null ? http2Ex.getMessage() : cause);
    }
    super.onConnectionError(context, outbound, cause, http2Ex);
  }

  void close() {
    if (ctx != null) {
      ctx.close();
    }
  }
}
