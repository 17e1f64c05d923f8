package io.courier.transport.rest;

import io.courier.common.Endpoint;
import io.courier.common.Status;
import io.courier.transport.netty.AbstractHttp2Handler;
import io.courier.transport.netty.StreamRefusal;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
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
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client end of one REST h2 connection: every call is a stream, written and read by this one connection-level
 * handler (no stream channel or pipeline per call). A call's request goes out as HEADERS and DATA converted from the
 * HTTP/1.1 request {@link RestClientCall} builds; its response is collected (up to the body limit: beyond it the
 * call fails {@code RESOURCE_EXHAUSTED} and the stream is reset) and handed back as one HTTP/1.1 response. A
 * cancelled call resets its stream; the connection carries on.
 *
 * <p>Invariant: a call is in {@link #streams} from the moment its stream id is taken until it is answered, reset or
 * closed, and is then completed exactly once. A call whose stream the server refused unprocessed (above a GOAWAY's
 * last stream id, {@code REFUSED_STREAM}, or never created because the connection went away first) is sent again on
 * a usable connection, at most twice, as the gRPC client does ({@link StreamRefusal}); past that it fails
 * {@code UNAVAILABLE} without a {@link io.courier.transport.ConnectionLostException}: safe to retry. Event loop only,
 * except {@link #isUsable}.
 */
final class RestHttp2ClientHandler extends AbstractHttp2Handler {

  private static final Logger log = LoggerFactory.getLogger(RestHttp2ClientHandler.class);
  private static final String SCHEME = HttpConversionUtil.ExtensionHeaderNames.SCHEME.text().toString();

  private final Endpoint endpoint;
  private final String scheme;
  private final int maxBodySize;
  private final int window;
  private final long idleMillis;
  private final IntObjectMap<Exchange> streams = new IntObjectHashMap<>();
  private final Queue<Exchange> cancelled = new ConcurrentLinkedQueue<>(); // by any thread, reset on the event loop
  private ChannelHandlerContext ctx;
  private volatile boolean draining;
  private int goAwayLastStreamId = Integer.MAX_VALUE; // streams above it were refused unprocessed

  private RestHttp2ClientHandler(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
      Http2Settings settings, Endpoint endpoint, boolean tls, int maxBodySize, int window, long idleMillis) {
    super(decoder, encoder, settings, 2 * window); // twice a stream's window
    this.endpoint = endpoint;
    this.scheme = tls ? "https" : "http";
    this.maxBodySize = maxBodySize;
    this.window = window;
    this.idleMillis = idleMillis;
    connection().addListener(new Http2ConnectionAdapter() {
      @Override
      public void onGoAwayReceived(int lastStreamId, long errorCode, ByteBuf debugData) {
        // before Netty closes the streams above lastStreamId, so that their calls are refused, not lost
        draining = true;
        goAwayLastStreamId = Math.min(goAwayLastStreamId, lastStreamId);
      }

      @Override
      public void onStreamClosed(Http2Stream stream) {
        Exchange e = streams.remove(stream.id());
        if (e != null) {
          e.release();
          if (stream.id() > goAwayLastStreamId) {
            e.call.refused(StreamRefusal.wentAway(endpoint, e.call.method().fullName()), e.head != null);
          } else {
            e.call.connectionLost("the stream to " + endpoint + " closed"
                + (draining ? " (the server is going away)" : ""));
          }
        }
        if (draining) {
          ctx.executor().execute(RestHttp2ClientHandler.this::closeIfDrained);
        }
      }
    });
  }

  /**
   * @param window the flow-control window of each stream; the connection's is twice that
   * @param idleMillis after this long without a frame from the server ({@link #idleStateHandler}): an idle
   *     connection closes, one with calls in flight is pinged and closes if the PING is not answered in time
   */
  static RestHttp2ClientHandler create(Endpoint endpoint, boolean tls, int maxBodySize, int window,
      long idleMillis) {
    DefaultHttp2Connection connection = AbstractHttp2Handler.newConnection(false);
    return new Builder(endpoint, tls, maxBodySize, window, idleMillis, connection).build();
  }

  /** What tells this handler the server has been silent for {@code idleMillis}; add it before the handler. */
  static IdleStateHandler idleStateHandler(long idleMillis) {
    return new IdleStateHandler(idleMillis, 0, 0, TimeUnit.MILLISECONDS);
  }

  /** Builds the handler through Netty's builder, which wires the codec and the connection together. */
  private static final class Builder
      extends AbstractHttp2ConnectionHandlerBuilder<RestHttp2ClientHandler, Builder> {
    private final Endpoint endpoint;
    private final boolean tls;
    private final int maxBodySize;
    private final int window;
    private final long idleMillis;

    Builder(Endpoint endpoint, boolean tls, int maxBodySize, int window, long idleMillis,
        Http2Connection connection) {
      this.endpoint = endpoint;
      this.tls = tls;
      this.maxBodySize = maxBodySize;
      this.window = window;
      this.idleMillis = idleMillis;
      connection(connection);
      initialSettings(Http2Settings.defaultSettings().pushEnabled(false).maxHeaderListSize(16384)
          .initialWindowSize(window));
      encoderEnforceMaxConcurrentStreams(true); // beyond the server's MAX_CONCURRENT_STREAMS, calls queue
      gracefulShutdownTimeoutMillis(0);
      Http2FrameLogger frames = AbstractHttp2Handler.frameLogger("client");
      if (frames != null) {
        frameLogger(frames);
      }
    }

    @Override
    public RestHttp2ClientHandler build() {
      return super.build();
    }

    @Override
    protected RestHttp2ClientHandler build(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
        Http2Settings settings) {
      return new RestHttp2ClientHandler(decoder, encoder, settings, endpoint, tls, maxBodySize, window,
          idleMillis);
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext context) throws Exception {
    this.ctx = context;
    super.handlerAdded(context); // sends the preface if the channel is active (after TLS), grows the window
  }

  @Override
  protected String connectionName() {
    return "the h2 connection to " + endpoint;
  }

  /** How long a keepalive PING may go unanswered: {@code min(idleMillis, 10 s)}. */
  @Override
  protected long keepaliveTimeoutMillis() {
    return Math.min(idleMillis, MAX_PING_TIMEOUT_MILLIS);
  }

  /** Whether new calls may use this connection (from any thread). */
  boolean isUsable() {
    return !draining && ctx != null && ctx.channel().isActive();
  }

  Channel channel() {
    return ctx.channel();
  }

  /** Calls with an open stream on this connection, read on its event loop; for tests. Not from the event loop. */
  int pendingCalls() {
    if (ctx == null) {
      return 0;
    }
    try {
      return ctx.executor().submit(streams::size).get(5, TimeUnit.SECONDS);
    } catch (RejectedExecutionException e) { // the event loop has stopped: nothing changes the table any more
      return streams.size();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted counting the calls to " + endpoint, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not count the calls to " + endpoint, e);
    }
  }

  // ---- calls, on the event loop ----

  /** Sends {@code call} as a new stream. */
  void start(RestClientCall call) {
    if (call.isFinished()) {
      return;
    }
    if (!isUsable()) { // went away, or closed, since the pool chose it: nothing was sent
      call.refused(StreamRefusal.notSent(endpoint, call.method().fullName(), "the connection went away first", null),
          false);
      return;
    }
    int id = connection().local().incrementAndGetNextStreamId();
    if (id < 0) { // stream ids exhausted: this connection takes no more calls
      draining = true;
      call.refused(StreamRefusal.notSent(endpoint, call.method().fullName(), "no stream ids left on the connection",
          null), false);
      return;
    }
    Exchange e = new Exchange(call, id);
    FullHttpRequest request = call.takeRequest(e::cancel);
    if (request == null) {
      return;
    }
    Http2Headers headers;
    try {
      request.headers().set(SCHEME, scheme);
      headers = HttpConversionUtil.toHttp2Headers(request, false);
    } catch (RuntimeException failed) {
      request.release();
      call.fail(Status.INTERNAL.withDescription("cannot send " + call.method().fullName() + " over h2: " + failed)
          .withCause(failed));
      return;
    }
    streams.put(id, e);
    boolean hasBody = request.content().isReadable();
    ByteBuf body = hasBody ? request.content().retainedDuplicate() : null; // the request's own stays whole
    call.sending(request); // kept until the server answers, to be sent again if it refuses the stream
    ChannelPromise headersWritten = ctx.newPromise();
    headersWritten.addListener(f -> {
      if (f.isSuccess()) {
        if (!hasBody) {
          call.written();
        }
      } else if (streams.remove(id) == e) { // never became a stream (e.g. queued when GOAWAY came): unsent
        e.release();
        call.refused(StreamRefusal.notSent(endpoint, call.method().fullName(), String.valueOf(f.cause()),
            f.cause()), false);
      }
    });
    encoder().writeHeaders(ctx, id, headers, 0, !hasBody, headersWritten);
    if (hasBody) {
      ChannelPromise bodyWritten = ctx.newPromise();
      bodyWritten.addListener(f -> {
        if (f.isSuccess()) {
          call.written();
        }
      });
      encoder().writeData(ctx, id, body, 0, true, bodyWritten);
    }
    scheduleFlush();
  }

  // ---- frames ----

  @Override
  public void onHeadersRead(ChannelHandlerContext context, int streamId, Http2Headers headers, int padding,
      boolean endOfStream) {
    Exchange e = streams.get(streamId);
    if (e == null) {
      return;
    }
    if (e.head == null) {
      e.call.answered(); // the server took the stream: it is not sent again
      CharSequence status = headers.status();
      if (status != null && status.length() == 3 && status.charAt(0) == '1' && !endOfStream) {
        return; // informational (100 Continue): the real response follows
      }
      e.head = headers;
    } else {
      e.head.add(headers); // trailers
    }
    if (endOfStream) {
      complete(e);
    }
  }

  @Override
  public void onHeadersRead(ChannelHandlerContext context, int streamId, Http2Headers headers, int streamDependency,
      short weight, boolean exclusive, int padding, boolean endOfStream) {
    onHeadersRead(context, streamId, headers, padding, endOfStream);
  }

  @Override
  public int onDataRead(ChannelHandlerContext context, int streamId, ByteBuf data, int padding, boolean endOfStream) {
    int credit = data.readableBytes() + padding; // returned at once: what is kept is bounded by maxBodySize
    Exchange e = streams.get(streamId);
    if (e == null) {
      return credit;
    }
    if (e.head == null) {
      abandon(e, Status.INTERNAL.withDescription(endpoint + " sent a body before the response headers of "
          + e.call.method().fullName()), Http2Error.PROTOCOL_ERROR);
      return credit;
    }
    e.received += data.readableBytes();
    if (e.received > maxBodySize || e.received < 0) {
      abandon(e, Status.RESOURCE_EXHAUSTED.withDescription("the response of " + e.call.method().fullName()
          + " from " + endpoint + " is over the client's limit of " + maxBodySize
          + " bytes (RestOptions.MAX_BODY_SIZE)"), Http2Error.CANCEL);
      return credit;
    }
    e.body.append(data.retain());
    if (endOfStream) {
      complete(e);
    }
    return credit;
  }

  /** The whole response has arrived: hands it to the call as one HTTP/1.1 response. */
  private void complete(Exchange e) {
    streams.remove(e.id);
    ByteBuf taken = e.body.take();
    ByteBuf body = taken != null ? taken : Unpooled.EMPTY_BUFFER;
    FullHttpResponse response;
    try {
      HttpConversionUtil.parseStatus(e.head.status()); // a failure here would leave the body to us, later not
    } catch (Http2Exception | RuntimeException malformed) {
      body.release();
      malformed(e, malformed);
      return;
    }
    try {
      response = HttpConversionUtil.toFullHttpResponse(e.id, e.head, body, false);
    } catch (Http2Exception | RuntimeException malformed) { // the conversion released the body
      malformed(e, malformed);
      return;
    }
    try {
      e.call.onResponse(response);
    } finally {
      response.release();
    }
  }

  private void malformed(Exchange e, Exception why) {
    e.call.fail(Status.INTERNAL.withDescription("the response of " + e.call.method().fullName() + " from "
        + endpoint + " is malformed: " + why.getMessage()));
  }

  /** Fails the call and resets its stream (the rest of the response is not wanted). */
  private void abandon(Exchange e, Status status, Http2Error error) {
    streams.remove(e.id);
    e.release();
    e.call.fail(status);
    reset(e.id, error);
  }

  /** Resets the streams of calls cancelled since the last time (event loop). */
  private void resetCancelled() {
    Exchange e;
    while ((e = cancelled.poll()) != null) {
      if (streams.remove(e.id) == e) {
        e.release();
        reset(e.id, Http2Error.CANCEL);
      }
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext context, Object msg) throws Exception {
    resetCancelled();
    super.channelRead(context, msg);
  }

  /**
   * Resets a stream through the encoder: a stream still queued for the server's MAX_CONCURRENT_STREAMS (Netty's
   * {@code StreamBufferingEncoder}) is dropped from the queue, never reset on the wire, which would be a protocol
   * error for a stream the server has not seen (and cost the whole connection).
   */
  private void reset(int id, Http2Error error) {
    encoder().writeRstStream(ctx, id, error.code(), ctx.newPromise());
    scheduleFlush();
  }

  @Override
  public void onRstStreamRead(ChannelHandlerContext context, int streamId, long errorCode) {
    Exchange e = streams.remove(streamId);
    if (e == null) {
      return;
    }
    e.release();
    if (errorCode == Http2Error.REFUSED_STREAM.code()) {
      e.call.refused(StreamRefusal.refusedStream(endpoint, e.call.method().fullName()), e.head != null);
    } else {
      e.call.connectionLost(endpoint + " reset the stream (HTTP/2 error " + errorCode + ")");
    }
  }

  @Override
  public void onGoAwayRead(ChannelHandlerContext context, int lastStreamId, long errorCode, ByteBuf debugData) {
    draining = true;
    goAwayLastStreamId = Math.min(goAwayLastStreamId, lastStreamId);
    log.debug("{} is going away (last stream {}, code {}); {} calls still open", endpoint, lastStreamId, errorCode,
        streams.size());
    context.executor().execute(this::closeIfDrained);
  }

  /**
   * Takes no new calls and closes once the calls in flight have ended (the provider left the registry: its calls
   * may finish). On the event loop.
   */
  void drain() {
    draining = true;
    closeIfDrained();
  }

  private void closeIfDrained() {
    if (streams.isEmpty() && connection().numActiveStreams() == 0 && ctx.channel().isActive()) {
      ctx.close();
    }
  }

  /**
   * The server has been silent for {@code idleMillis}: with no call in flight the connection closes (the next call
   * dials anew, as HTTP/1.1's pool does); with calls in flight it sends a PING, and a server that does not answer it
   * within {@code min(idleMillis, 10 s)} is taken for gone (a host that vanished without closing its connections):
   * the connection closes and its calls fail {@code UNAVAILABLE} instead of each waiting for its deadline.
   */
  @Override
  protected void onIdle(ChannelHandlerContext context) {
    if (streams.isEmpty() && connection().numActiveStreams() == 0) {
      draining = true;
      context.close();
      return;
    }
    ping(context);
  }

  private static final long MAX_PING_TIMEOUT_MILLIS = 10_000;

  @Override
  public void channelInactive(ChannelHandlerContext context) throws Exception {
    draining = true;
    super.channelInactive(context); // closes the open streams: their calls fail through onStreamClosed
    if (!streams.isEmpty()) { // ids taken, streams never created
      Exchange[] left = streams.values().toArray(new Exchange[0]);
      streams.clear();
      for (Exchange e : left) {
        e.release();
        e.call.connectionLost("the connection to " + endpoint + " closed");
      }
    }
  }

  @Override
  protected void onConnectionError(ChannelHandlerContext context, boolean outbound, Throwable cause,
      Http2Exception http2Ex) {
    log.debug("closing the h2 connection to {}: {}", endpoint, http2Ex != null ? http2Ex.getMessage() : cause);
    super.onConnectionError(context, outbound, cause, http2Ex);
  }

  /** One call's stream: its response as it arrives. Event loop only. */
  private final class Exchange {
    final RestClientCall call;
    final int id;
    Http2Headers head; // the response's HEADERS, once they arrive
    final Body body = new Body(ctx.alloc()); // the response's DATA so far
    int received;

    Exchange(RestClientCall call, int id) {
      this.call = call;
      this.id = id;
    }

    void release() {
      body.release();
    }

    /**
     * The call was cancelled (any thread): reset its stream, so the server stops. Queued, and applied before the
     * connection reads anything more ({@link #channelRead}): a stream still waiting for the server's
     * MAX_CONCURRENT_STREAMS would otherwise be sent when a response read first frees a slot, after its caller was
     * told the call was over.
     */
    void cancel() {
      cancelled.add(this);
      try {
        ctx.executor().execute(RestHttp2ClientHandler.this::resetCancelled);
      } catch (RuntimeException rejected) { // the event loop shut down: the connection is gone with the stream
        log.debug("could not reset stream {} to {}: {}", id, endpoint, rejected.toString());
      }
    }
  }
}
