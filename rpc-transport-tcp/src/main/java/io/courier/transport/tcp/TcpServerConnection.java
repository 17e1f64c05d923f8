package io.courier.transport.tcp;

import io.courier.common.Metadata;
import io.courier.common.MethodDescriptor;
import io.courier.common.Status;
import io.courier.serialization.SerializerSet;
import io.courier.server.CallHead;
import io.courier.server.InternalServerCalls;
import io.courier.transport.ByteBudget;
import io.courier.transport.ServerCallHandler;
import io.courier.transport.ServerConnection;
import io.courier.transport.netty.ChannelConnections;
import io.courier.transport.netty.RefusalLog;
import io.courier.transport.netty.TlsFailures;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server end of one TCP connection: turns REQUEST frames into calls for the core, answers pings,
 * forwards cancellations, and cancels everything still running when the connection closes. Invariant: a
 * two-way call is in {@link #calls} from acceptance until it is closed.
 */
final class TcpServerConnection extends ChannelInboundHandlerAdapter implements TcpFrameDecoder.RequestGate {

  private static final Logger log = LoggerFactory.getLogger(TcpServerConnection.class);
  private static final RefusalLog TLS_REFUSALS = new RefusalLog(log);

  private final TcpServerTransport transport;
  private final ServerCallHandler handler;
  private final SerializerSet serializers;
  private final TcpSettings settings;
  private final Map<Long, TcpServerCall> calls = new ConcurrentHashMap<>();
  private final AtomicBoolean goingAway = new AtomicBoolean();
  private Channel channel;
  private WriteQueue writes;
  private ServerConnection serverConnection;

  TcpServerConnection(TcpServerTransport transport, ServerCallHandler handler, SerializerSet serializers,
      TcpSettings settings) {
    this.transport = transport;
    this.handler = handler;
    this.serializers = serializers;
    this.settings = settings;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
    serverConnection = ChannelConnections.of(channel, handler);
    writes = new WriteQueue(channel, serverConnection.responseBytes());
  }

  ServerConnection serverConnection() {
    return serverConnection;
  }

  /**
   * Decides on a request from its header section, before its body is buffered: refused if the server is going away,
   * by admission (authentication, access rules — also for an unknown method), for an unknown serializer, a one-way
   * mismatch, too many calls on the connection, or a body the connection's request budget cannot hold.
   */
  @Override
  public void decide(TcpFrame frame, long bodyLength) {
    boolean oneWay = frame.isOneWay();
    if (goingAway.get() && !oneWay) {
      // Sent before the client had our GOAWAY. Refused without running, as UNAVAILABLE on an open connection, which
      // tells the caller it may retry it elsewhere whatever the method. (One-way requests still run: nobody would
      // hear of a refusal.)
      frame.refusal = Status.UNAVAILABLE.withDescription("server shutting down: the call was not run (it arrived"
          + " after the server's GOAWAY); retry it on another provider");
      return;
    }
    MethodDescriptor method = handler.lookup(frame.service, frame.method);
    CallHead head = new CallHead(frame.service, frame.method, method, frame.metadata, channel.remoteAddress());
    Status refusal = handler.admit(serverConnection, head);
    if (refusal != null) {
      frame.refusal = refusal;
      return;
    }
    if (serializers.byId(frame.serializerId) == null) {
      frame.refusal = Status.UNIMPLEMENTED.withDescription("serializer id " + frame.serializerId
          + " is not available on this server (available: " + serializers.names() + ")");
      return;
    }
    // a generic caller cannot know a method is one-way: its request asks for an answer, sent once the method has run
    if (method.isOneWay() != oneWay && !(method.isOneWay() && InternalServerCalls.isGeneric(frame.metadata))) {
      frame.refusal = Status.INVALID_ARGUMENT.withDescription(method.fullName() + " is "
          + (method.isOneWay() ? "" : "not ") + "one-way on this server");
      return;
    }
    if (calls.size() >= settings.maxConcurrentCallsPerConnection()) {
      frame.refusal = Status.RESOURCE_EXHAUSTED.withDescription("too many concurrent calls on this connection (limit "
          + settings.maxConcurrentCallsPerConnection() + ", TcpOptions.MAX_CONCURRENT_CALLS_PER_CONNECTION)");
      return;
    }
    ByteBudget budget = serverConnection.requestBytes();
    if (!budget.tryReserve(bodyLength)) {
      frame.refusal = Status.RESOURCE_EXHAUSTED.withDescription("the server cannot hold a request of " + bodyLength
          + " bytes now: " + budget.exhausted(bodyLength) + "; retry later");
      return;
    }
    frame.reserved = bodyLength;
    frame.head = head;
  }

  @Override
  public ByteBudget pendingBytes() {
    return serverConnection.requestBytes();
  }

  SocketAddress remoteAddress() {
    return channel.remoteAddress();
  }

  ByteBufAllocator alloc() {
    return channel.alloc();
  }

  int maxFrameSize() {
    return settings.maxFrameSize();
  }

  void write(ByteBuf frame) {
    writes.enqueue(frame);
  }

  /**
   * Queues a response whose bytes count against the connection's response budget; false (and {@code frame} left to
   * the caller) if it does not fit — the peer is not reading, or the server holds too much.
   */
  boolean writeReserved(ByteBuf frame) {
    return writes.enqueueReserved(frame);
  }

  ByteBudget responseBytes() {
    return serverConnection.responseBytes();
  }

  /** Closes after the frames already queued (responses of calls that just finished) are written. */
  void closeGracefully(Channel ch) {
    WriteQueue w = writes;
    if (w == null) { // not set up yet: nothing can be queued
      ch.close();
    } else {
      w.closeAfterQueuedWrites();
    }
  }

  /**
   * Sends GOAWAY, once: the client sends no new call on this connection and closes it once its pending calls are
   * answered. A request already on its way is refused as not run (see {@link #onRequest}).
   */
  void goAway(String reason) {
    if (goingAway.compareAndSet(false, true)) {
      writes.enqueue(TcpFrameWriter.goAway(channel.alloc(), reason));
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    if (transport.isShuttingDown()) { // accepted as the server began to shut down
      goAway("server shutting down");
    }
    super.channelActive(ctx);
  }

  void finished(TcpServerCall call) {
    if (!call.isOneWay()) {
      calls.remove(call.id(), call);
    }
    transport.callFinished();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof TcpFrame frame)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    try {
      switch (frame.type) {
        case TcpProtocol.TYPE_REQUEST -> onRequest(ctx, frame);
        case TcpProtocol.TYPE_CANCEL -> {
          TcpServerCall call = calls.get(frame.id);
          if (call != null) {
            call.cancel();
          }
        }
        case TcpProtocol.TYPE_PING -> writes.enqueue(TcpFrameWriter.control(ctx.alloc(), TcpProtocol.TYPE_PONG,
            frame.id));
        case TcpProtocol.TYPE_PONG -> { }
        default -> {
          log.warn("closing connection from {}: unexpected {} frame from a client", ctx.channel().remoteAddress(),
              TcpProtocol.typeName(frame.type));
          ctx.close();
        }
      }
    } finally {
      frame.release();
    }
  }

  /** A request the decoder delivered: refused on its header section (no body), or admitted with its body. */
  private void onRequest(ChannelHandlerContext ctx, TcpFrame frame) {
    if (frame.refusal != null) {
      refuse(frame, frame.refusal);
      return;
    }
    boolean oneWay = frame.isOneWay();
    TcpServerCall call = new TcpServerCall(this, frame, serializers.byId(frame.serializerId));
    if (!oneWay && calls.putIfAbsent(frame.id, call) != null) {
      call.releaseBody();
      log.warn("closing connection from {}: request id {} is already in use", ctx.channel().remoteAddress(),
          frame.id);
      ctx.close();
      return;
    }
    transport.callStarted();
    handler.handle(call);
  }

  private void refuse(TcpFrame frame, Status status) {
    if (!frame.isOneWay()) {
      writes.enqueue(TcpFrameWriter.error(channel.alloc(), frame.id, status.code().value(), status.description(),
          Metadata.EMPTY));
    } else {
      log.debug("dropping one-way call {}/{}: {}", frame.service, frame.method, status);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent) {
      log.debug("closing idle connection from {}", ctx.channel().remoteAddress());
      ctx.close();
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    // Stop reading new requests while the peer is not reading our responses.
    boolean writable = ctx.channel().isWritable();
    ctx.channel().config().setAutoRead(writable);
    TcpFrameDecoder decoder = ctx.pipeline().get(TcpFrameDecoder.class);
    if (decoder != null) {
      decoder.readingPaused(!writable);
    }
    writes.reconcile();
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    for (TcpServerCall call : new ArrayList<>(calls.values())) {
      call.cancel();
    }
    writes.releaseAll();
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof DecoderException && cause.getCause() instanceof NotSslRecordException) {
      TLS_REFUSALS.refused(ctx.channel(), "cleartext bytes on a TLS port (the client is not configured for TLS)");
    } else if (cause instanceof DecoderException && cause.getCause() instanceof SSLException) {
      TLS_REFUSALS.refused(ctx.channel(), "TLS failed: " + TlsFailures.describe(cause));
    } else if (cause instanceof DecoderException) {
      log.warn("closing connection from {}: {}", ctx.channel().remoteAddress(), cause.getMessage());
    } else if (!(cause instanceof ClosedChannelException)) {
      log.debug("closing connection from {}", ctx.channel().remoteAddress(), cause);
    }
    ctx.close();
  }
}
