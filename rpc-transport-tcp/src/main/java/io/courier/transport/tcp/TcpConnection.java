package io.courier.transport.tcp;

import io.courier.client.Invocation;
import io.courier.common.Endpoint;
import io.courier.common.MethodDescriptor;
import io.courier.common.Status;
import io.courier.serialization.SerializationException;
import io.courier.serialization.Serializer;
import io.courier.serialization.SerializerSet;
import io.courier.transport.ConnectionLostException;
import io.courier.transport.netty.TlsFailures;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.collection.LongObjectHashMap;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client end of one TCP connection: assigns request ids, keeps the table of calls waiting for a response
 * and completes them. Invariant: a call is in {@link #pending} from just before its frame is queued until
 * exactly one of response, cancellation or connection loss removes it; whoever removes it completes it.
 */
final class TcpConnection extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(TcpConnection.class);

  private final Endpoint endpoint;
  private final SerializerSet serializers;
  private final TcpSettings settings;
  private final int maxFrameSize;
  private final PendingCalls<PendingCall> pending = new PendingCalls<>();
  private final AtomicLong ids = new AtomicLong();
  private volatile Channel channel;
  private volatile WriteQueue writes;
  private volatile boolean closed;
  private volatile boolean draining;
  private volatile boolean receivedAny;
  private final AtomicLong pingIds = new AtomicLong();
  /** Completed by the first frame the server sends (the answer to {@link #greet}'s PING), or failed. */
  private final CompletableFuture<Void> answered = new CompletableFuture<>();
  private int silentIntervals; // on the event loop: heartbeat intervals in a row without a byte read

  /**
   * A call waiting for its response, and its future; also the listener that removes it when the call is
   * cancelled. One object per call.
   */
  private final class PendingCall extends CompletableFuture<Object> implements Consumer<Status> {
    final long id;
    final Invocation invocation;

    PendingCall(long id, Invocation invocation) {
      this.id = id;
      this.invocation = invocation;
    }

    Invocation invocation() {
      return invocation;
    }

    CompletableFuture<Object> result() {
      return this;
    }

    /** The call was cancelled: forget it, fail it and tell the server, unless a response got there first. */
    @Override
    public void accept(Status status) {
      if (pending.remove(id) != null) {
        completeExceptionally(status.asException());
        if (!closed) {
          writes.enqueue(TcpFrameWriter.control(channel.alloc(), TcpProtocol.TYPE_CANCEL, id));
        }
        closeIfDrained();
      }
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
      return new CompletableFuture<>();
    }
  }

  /**
   * The pending calls by request id: a map of primitive keys under one lock, which allocates nothing per call.
   *
   * <p>Request ids are sequential, and Netty's map puts a key at slot {@code (key ^ key >>> 32) & mask}, probing
   * linearly: the ids in flight would fill one run of adjacent slots, and every remove shifts entries along the
   * whole run, so a remove cost as many steps as there were calls in flight. Under an open-loop load the client could
   * not keep up with, that made pending calls pile up faster still (10,000 in flight: the client spent its time in
   * {@code removeAt}, and throughput fell from 60,000 to 15,000 calls/s). So the map is keyed by {@link #slotKey}, a
   * Fibonacci hash of the id, which scatters consecutive ids over the table; it is a bijection, so keys stay unique.
   */
  static final class PendingCalls<T> {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L; // odd: multiplying by it is a bijection on longs

    private final LongObjectHashMap<T> calls = new LongObjectHashMap<>();

    static long slotKey(long id) {
      return id * GOLDEN;
    }

    synchronized void put(long id, T call) {
      calls.put(slotKey(id), call);
    }

    synchronized T remove(long id) {
      return calls.remove(slotKey(id));
    }

    synchronized int size() {
      return calls.size();
    }

    synchronized boolean isEmpty() {
      return calls.isEmpty();
    }

    synchronized List<T> snapshot() {
      return new ArrayList<>(calls.values());
    }
  }

  TcpConnection(Endpoint endpoint, SerializerSet serializers, TcpSettings settings) {
    this.endpoint = endpoint;
    this.serializers = serializers;
    this.settings = settings;
    this.maxFrameSize = settings.maxFrameSize();
  }

  TcpSettings settings() {
    return settings;
  }

  Endpoint endpoint() {
    return endpoint;
  }

  /**
   * Sends the opening PING of a new connection; the returned future completes with the first frame the server sends
   * (its PONG), and only then is the connection given to calls. So no request is sent on a connection the server
   * never took up: a connect that reached only the kernel's backlog of a server that is closing its port is reset,
   * and a call sent on it could not be told apart from one that ran (it would fail as "may have run", and a method
   * that is not {@code @Idempotent} would not be retried). As grpc-java's client waits for the server's SETTINGS.
   * Fails if the connection closes first, or if nothing arrives within {@code timeoutMillis} (then it is closed).
   */
  CompletableFuture<Void> greet(long timeoutMillis) {
    Channel c = channel;
    writes.enqueue(TcpFrameWriter.control(c.alloc(), TcpProtocol.TYPE_PING, 0));
    ScheduledFuture<?> timer = c.eventLoop().schedule(() -> {
      if (answered.completeExceptionally(new IOException("no answer from " + endpoint + " to the opening PING within "
          + timeoutMillis + " ms (TcpOptions.CONNECT_TIMEOUT): is it a Courier TCP server?"))) {
        c.close();
      }
    }, timeoutMillis, TimeUnit.MILLISECONDS);
    answered.whenComplete((v, e) -> timer.cancel(false));
    return answered;
  }

  /** Whether new calls may use this connection. */
  boolean isUsable() {
    Channel c = channel;
    return c != null && c.isActive() && !closed && !draining;
  }

  int pendingCalls() {
    return pending.size();
  }

  CompletableFuture<Object> call(Invocation invocation) {
    MethodDescriptor method = invocation.method();
    long id = ids.incrementAndGet();
    long timeoutMicros = invocation.deadline() == null ? 0
        : Math.max(1, invocation.deadline().timeRemaining(TimeUnit.MICROSECONDS));
    ByteBuf frame;
    try {
      frame = TcpFrameWriter.request(channel.alloc(), id, method.isOneWay(), invocation.serializer(),
          method.service().name(), method.name(), timeoutMicros, invocation.options().headers(),
          invocation.arguments(), method.requestTypes());
    } catch (SerializationException e) {
      return CompletableFuture.failedFuture(Status.INTERNAL.withDescription("could not encode the arguments of "
          + method.fullName() + " with " + invocation.serializer().name() + ": " + e.getMessage())
          .withCause(e).asException());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(Status.INTERNAL.withDescription("could not encode the request for "
          + method.fullName() + ": " + e).withCause(e).asException());
    }
    long size = TcpFrameWriter.payloadLength(frame);
    if (size > maxFrameSize) {
      frame.release();
      return CompletableFuture.failedFuture(Status.RESOURCE_EXHAUSTED.withDescription("request for "
          + method.fullName() + " is " + size + " bytes, over the frame limit of " + maxFrameSize
          + " (TcpOptions.MAX_FRAME_SIZE)").asException());
    }
    if (method.isOneWay()) {
      writes.enqueue(frame);
      return CompletableFuture.completedFuture(null);
    }
    PendingCall result = new PendingCall(id, invocation);
    pending.put(id, result);
    if (closed || draining) {
      // Lost a race with channelInactive's sweep, or with a GOAWAY or a drain that came after the caller chose this
      // connection. Not sent, so it may go elsewhere whatever the method: UNAVAILABLE without ConnectionLostException.
      // Checked after the put, as closeIfDrained sets draining before it looks at pending: either this call sees
      // draining, or the close sees this call and waits for it.
      fail(id, Status.UNAVAILABLE.withDescription("connection to " + endpoint + (closed ? " closed" : " is going"
          + " away") + "; the call was not sent"));
      frame.release();
      closeIfDrained();
      return result;
    }
    invocation.onCancel(result);
    if (result.isDone()) { // cancelled before it was sent: the CANCEL went out alone and the server ignores it
      frame.release();
      return result;
    }
    writes.enqueue(frame);
    return result;
  }

  private void fail(long id, Status status) {
    PendingCall call = pending.remove(id);
    if (call != null) {
      call.result().completeExceptionally(status.asException());
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    // Added at registration, before the connect promise completes, so the pool never sees a null channel.
    channel = ctx.channel();
    writes = new WriteQueue(channel);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!receivedAny) {
      receivedAny = true;
      answered.complete(null);
    }
    if (!(msg instanceof TcpFrame frame)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    try {
      switch (frame.type) {
        case TcpProtocol.TYPE_RESPONSE -> onResponse(frame);
        case TcpProtocol.TYPE_PING -> writes.enqueue(TcpFrameWriter.control(ctx.alloc(), TcpProtocol.TYPE_PONG,
            frame.id));
        case TcpProtocol.TYPE_PONG -> { } // any read resets the idle timer; nothing else to do
        case TcpProtocol.TYPE_GOAWAY -> {
          draining = true;
          log.debug("{} is going away ({}); {} calls still pending on this connection", endpoint, frame.message,
              pending.size());
          if (pending.isEmpty()) {
            ctx.close();
          }
        }
        default -> {
          log.warn("closing connection to {}: unexpected {} frame from a server", endpoint,
              TcpProtocol.typeName(frame.type));
          ctx.close();
        }
      }
    } finally {
      frame.release();
    }
  }

  private void onResponse(TcpFrame frame) {
    PendingCall call = pending.remove(frame.id);
    if (call == null) {
      return; // cancelled or timed out already
    }
    MethodDescriptor method = call.invocation().method();
    if (frame.status != 0) {
      Status status = Status.fromCodeValue(frame.status)
          .withDescription(frame.message == null || frame.message.isEmpty() ? null : frame.message);
      call.result().completeExceptionally(status.asException(frame.metadata));
    } else {
      Serializer serializer = serializers.byId(frame.serializerId);
      if (serializer == null) {
        call.result().completeExceptionally(Status.INTERNAL.withDescription("response to " + method.fullName()
            + " uses serializer id " + frame.serializerId + ", which this client does not have").asException());
      } else {
        try {
          call.result().complete(serializer.read(frame.body, method.responseType()));
        } catch (RuntimeException e) {
          call.result().completeExceptionally(Status.INTERNAL.withDescription("cannot decode the result of "
              + method.fullName() + " with " + serializer.name() + ": " + e.getMessage()).withCause(e)
              .asException());
        }
      }
    }
    closeIfDrained();
  }

  /** Takes no new calls and closes once the pending ones are answered (discovery dropped this provider). */
  void drain() {
    draining = true;
    closeIfDrained();
  }

  private void closeIfDrained() {
    Channel c = channel;
    if (draining && pending.isEmpty() && c != null) {
      c.close();
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent idle) {
      if (idle.state() == IdleState.READER_IDLE) {
        // one event per heartbeat interval without a byte read; the first after a read starts the count again
        silentIntervals = idle.isFirst() ? 1 : silentIntervals + 1;
        if (silentIntervals >= 3) {
          log.warn("closing connection to {}: no data received within the heartbeat timeout", endpoint);
          ctx.close();
        } else {
          writes.enqueue(TcpFrameWriter.control(ctx.alloc(), TcpProtocol.TYPE_PING, pingIds.incrementAndGet()));
        }
      }
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    closed = true;
    // The requests of these calls were handed to the connection: they may have run, so only idempotent ones are
    // retried elsewhere (ConnectionLostException tells the cluster layer so).
    String reason = "connection to " + endpoint + " closed" + (receivedAny ? ""
        : settings.tls() == null
            ? " before the server sent anything (if it requires TLS, configure the client with tls(...))"
            : " before the server sent anything");
    answered.completeExceptionally(new IOException(reason));
    Status lost = Status.UNAVAILABLE.withDescription(reason)
        .withCause(new ConnectionLostException(reason + " with calls in flight"));
    for (PendingCall call : pending.snapshot()) {
      fail(call.id, lost);
    }
    if (writes != null) {
      writes.releaseAll();
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof DecoderException && cause.getCause() instanceof SSLException) {
      log.warn("closing connection to {}: TLS failed: {}", endpoint, TlsFailures.describe(cause));
    } else if (cause instanceof DecoderException) {
      log.warn("closing connection to {}: {}", endpoint, cause.getMessage());
    } else if (!(cause instanceof ClosedChannelException)) {
      log.debug("closing connection to {}", endpoint, cause);
    }
    ctx.close();
  }

  /** Closes the connection; pending calls fail with {@code UNAVAILABLE}. */
  void close() {
    Channel c = channel;
    if (c != null) {
      c.close();
    }
  }

  @Override
  public String toString() {
    return "TcpConnection{" + endpoint + ", pending=" + pending.size() + (draining ? ", draining" : "") + "}";
  }
}
