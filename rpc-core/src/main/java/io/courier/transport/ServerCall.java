package io.courier.transport;

import io.courier.common.Deadline;
import io.courier.common.Metadata;
import io.courier.common.MethodDescriptor;
import io.courier.common.Status;
import io.courier.server.CallHead;
import java.net.SocketAddress;

/**
 * One inbound unary call, as a transport presents it to the core. The transport keeps the undecoded
 * request payload until {@link #readArguments()} or until the call is closed, whichever comes first, so
 * that decoding happens on the worker that runs the call, not on the I/O thread.
 *
 * <p>The core closes every call exactly once, with {@link #sendResponse} or {@link #sendError} (one-way calls
 * are closed with either and nothing is sent). Both may be called from any thread. Calls of streaming methods
 * are {@link ServerStreamCall}s.
 */
public interface ServerCall {

  MethodDescriptor method();

  /** Request metadata. */
  Metadata headers();

  /** The caller's deadline, or {@code null} if it sent none. */
  Deadline deadline();

  /** The caller's address, for logs and access rules. */
  SocketAddress remoteAddress();

  /**
   * The head the transport {@linkplain ServerCallHandler#admit admitted} before it buffered the payload, or
   * {@code null} if it did not (the in-process transport): the core then admits the call itself, before decoding.
   */
  default CallHead head() {
    return null;
  }

  /**
   * The connection the call came on ({@link ServerCallHandler#openConnection}), whose share of the worker pool it
   * takes; {@code null} for none (the in-process transport).
   */
  default ServerConnection connection() {
    return null;
  }

  /**
   * Decodes the arguments with the call's serializer and releases the payload. Call at most once.
   *
   * @throws io.courier.serialization.SerializationException if the payload cannot be decoded
   */
  Object[] readArguments();

  /**
   * Encodes and sends {@code value} with {@code trailers}. For streaming methods that send a stream of
   * responses the messages went out with {@link ServerStreamCall#sendMessage} and {@code value} is ignored:
   * this only ends the call successfully.
   */
  void sendResponse(Object value, Metadata trailers);

  /**
   * Response headers the service set ({@code ServerContext.addResponseHeader}), handed over once, before the
   * first response message or the close. Transports whose protocol has no response headers (tcp) ignore them.
   */
  default void sendHeaders(Metadata headers) {}

  /**
   * The compression the service asked for its responses ({@code ServerContext.setResponseCompression}), for
   * example {@code "gzip"}, handed over with {@link #sendHeaders}. Transports compress only where the protocol
   * and the peer allow it, and otherwise ignore it.
   */
  default void setCompression(String encoding) {}

  /** Sends a failure. */
  void sendError(Status status, Metadata trailers);

  /**
   * Runs {@code listener} if the caller cancels the call or its connection closes before the call is
   * closed; at once if that already happened.
   */
  void onCancel(Runnable listener);
}
