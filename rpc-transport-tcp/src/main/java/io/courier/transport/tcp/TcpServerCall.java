package io.courier.transport.tcp;

import io.courier.common.Deadline;
import io.courier.common.Metadata;
import io.courier.common.MethodDescriptor;
import io.courier.common.Status;
import io.courier.serialization.SerializationException;
import io.courier.serialization.Serializer;
import io.courier.server.CallHead;
import io.courier.transport.CancelListeners;
import io.courier.transport.ServerCall;
import io.courier.transport.ServerConnection;
import io.netty.buffer.ByteBuf;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One request being served on a TCP connection. Holds the request body until the arguments are read or the
 * call is closed; encodes the response on the closing thread.
 */
final class TcpServerCall implements ServerCall {

  private final TcpServerConnection connection;
  private final CallHead head;
  private final long reserved;
  private final long id;
  private final boolean oneWay;
  private final MethodDescriptor method;
  private final Serializer serializer;
  private final Metadata headers;
  private final Deadline deadline;
  private final ByteBuf body;
  private final AtomicBoolean bodyReleased = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CancelListeners cancelListeners = new CancelListeners();

  /** @param frame an admitted request: its head is set and its body holds {@code frame.reserved} budget bytes */
  TcpServerCall(TcpServerConnection connection, TcpFrame frame, Serializer serializer) {
    this.connection = connection;
    this.head = frame.head;
    this.reserved = frame.reserved;
    this.id = frame.id;
    this.oneWay = frame.isOneWay();
    this.method = frame.head.method();
    this.serializer = serializer;
    this.headers = frame.metadata;
    this.deadline = frame.timeoutMicros > 0 ? Deadline.after(frame.timeoutMicros, TimeUnit.MICROSECONDS) : null;
    this.body = frame.body.retain();
  }

  long id() {
    return id;
  }

  boolean isOneWay() {
    return oneWay;
  }

  @Override
  public MethodDescriptor method() {
    return method;
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
    return connection.remoteAddress();
  }

  @Override
  public CallHead head() {
    return head;
  }

  @Override
  public ServerConnection connection() {
    return connection.serverConnection();
  }

  @Override
  public Object[] readArguments() {
    if (!bodyReleased.compareAndSet(false, true)) {
      throw new IllegalStateException("arguments of " + method.fullName() + " were already read");
    }
    try {
      return serializer.readArguments(body, method.requestTypes());
    } catch (SerializationException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new SerializationException(serializer.name() + " failed: " + e, e);
    } finally {
      body.release();
      connection.serverConnection().requestBytes().release(reserved);
    }
  }

  @Override
  public void sendResponse(Object value, Metadata trailers) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    releaseBody();
    if (!oneWay) {
      ByteBuf frame;
      try {
        frame = TcpFrameWriter.response(connection.alloc(), id, serializer, trailers, value,
            method.responseType());
      } catch (RuntimeException e) {
        frame = TcpFrameWriter.error(connection.alloc(), id, Status.INTERNAL.code().value(),
            "could not encode the result of " + method.fullName() + " with " + serializer.name() + ": "
                + e.getMessage(), Metadata.EMPTY);
      }
      long size = TcpFrameWriter.payloadLength(frame);
      if (size > connection.maxFrameSize()) {
        frame.release();
        frame = TcpFrameWriter.error(connection.alloc(), id, Status.RESOURCE_EXHAUSTED.code().value(),
            "the result of " + method.fullName() + " is " + size + " bytes, over the frame limit of "
                + connection.maxFrameSize() + " (TcpOptions.MAX_FRAME_SIZE)", Metadata.EMPTY);
      }
      if (!connection.writeReserved(frame)) { // the client is not reading, or the server holds too much
        int bytes = frame.readableBytes();
        frame.release();
        connection.write(TcpFrameWriter.error(connection.alloc(), id, Status.RESOURCE_EXHAUSTED.code().value(),
            "the server cannot hold a response of " + bytes + " bytes now: "
                + connection.responseBytes().exhausted(bytes) + "; retry later", Metadata.EMPTY));
      }
    }
    connection.finished(this);
  }

  @Override
  public void sendError(Status status, Metadata trailers) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    releaseBody();
    if (!oneWay) {
      connection.write(TcpFrameWriter.error(connection.alloc(), id, status.code().value(), status.description(),
          trailers));
    }
    connection.finished(this);
  }

  @Override
  public void onCancel(Runnable listener) {
    cancelListeners.add(listener);
  }

  /** The client cancelled, or the connection closed. */
  void cancel() {
    if (!closed.get()) {
      cancelListeners.cancel();
    }
  }

  /** Frees the request body if nobody read it; for calls refused or abandoned before decoding. */
  void releaseBody() {
    if (bodyReleased.compareAndSet(false, true)) {
      body.release();
      connection.serverConnection().requestBytes().release(reserved);
    }
  }
}
