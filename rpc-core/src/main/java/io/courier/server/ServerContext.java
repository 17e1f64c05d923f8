package io.courier.server;

import io.courier.common.Deadline;
import io.courier.common.Metadata;
import io.courier.common.MethodDescriptor;
import io.courier.common.Status;
import io.courier.internal.common.InheritedDeadline;
import io.courier.transport.CancelListeners;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The call the current thread is running, for service code that needs its headers, its deadline, or to
 * know whether the answer is still wanted. Available while a service method runs on its worker thread.
 *
 * <pre>{@code
 * public Report buildReport(long id) {
 *   for (Chunk chunk : chunks(id)) {
 *     if (ServerContext.current().isCancelled()) {
 *       throw Status.CANCELLED.asException(); // nobody is waiting any more
 *     }
 *     ...
 *   }
 * }
 * }</pre>
 */
public final class ServerContext {

  private static final ThreadLocal<ServerContext> CURRENT = new ThreadLocal<>();

  private final MethodDescriptor method;
  private final Metadata headers;
  private final Deadline deadline;
  private final SocketAddress remoteAddress;
  private volatile Status cancellation;
  private volatile Metadata trailers = Metadata.EMPTY;
  private volatile Metadata responseHeaders = Metadata.EMPTY;
  private volatile String responseCompression;
  private final CancelListeners cancelListeners = new CancelListeners();
  private Map<Key<?>, Object> attributes; // guarded by this

  /** Created by the server for each call. */
  public ServerContext(MethodDescriptor method, Metadata headers, Deadline deadline, SocketAddress remoteAddress) {
    this.method = method;
    this.headers = headers;
    this.deadline = deadline;
    this.remoteAddress = remoteAddress;
  }

  /** The context of an admitted call, with what admission {@linkplain CallHead#attach attached}. */
  public ServerContext(CallHead admitted, Deadline deadline) {
    this(Objects.requireNonNull(admitted.method(), "the call's method"), admitted.headers(), deadline,
        admitted.remoteAddress());
    admitted.copyAttachments(this);
  }

  /**
   * The context of the call running on this thread.
   *
   * @throws IllegalStateException outside a service call
   */
  public static ServerContext current() {
    ServerContext context = CURRENT.get();
    if (context == null) {
      throw new IllegalStateException("no Courier call is running on this thread "
          + "(ServerContext is available inside service methods and server interceptors)");
    }
    return context;
  }

  /** The context of the call running on this thread, or {@code null}. */
  public static ServerContext currentOrNull() {
    return CURRENT.get();
  }

  /** Makes {@code context} current on this thread and returns the previous one, for the dispatcher. */
  public static ServerContext attach(ServerContext context) {
    ServerContext previous = CURRENT.get();
    CURRENT.set(context);
    InheritedDeadline.set(context == null ? null : context.deadline); // client calls made here inherit it
    return previous;
  }

  /** Restores {@code previous} after {@link #attach}. */
  public static void detach(ServerContext previous) {
    if (previous == null) {
      CURRENT.remove();
      InheritedDeadline.set(null);
    } else {
      CURRENT.set(previous);
      InheritedDeadline.set(previous.deadline);
    }
  }

  public MethodDescriptor method() {
    return method;
  }

  public Metadata headers() {
    return headers;
  }

  /** The caller's deadline, or {@code null}. Calls made from here to other services inherit it. */
  public Deadline deadline() {
    return deadline;
  }

  public SocketAddress remoteAddress() {
    return remoteAddress;
  }

  /** Whether the caller gave up (it cancelled, its deadline passed or its connection closed). */
  public boolean isCancelled() {
    return cancellation != null;
  }

  /** Why the call was cancelled, or {@code null}. */
  public Status cancellationStatus() {
    return cancellation;
  }

  /** Adds metadata sent back with the result. */
  public <T> void addTrailer(Metadata.Key<T> key, T value) {
    synchronized (this) {
      trailers = trailers.with(key, value);
    }
  }

  /** The trailers added so far. */
  public Metadata trailers() {
    return trailers;
  }

  /**
   * Adds metadata sent in the response headers, before the first response message (gRPC's initial
   * metadata). Only takes effect before the first message or the end of the call; transports without
   * response headers (tcp) drop it, so put what every caller needs in a trailer.
   */
  public <T> void addResponseHeader(Metadata.Key<T> key, T value) {
    synchronized (this) {
      responseHeaders = responseHeaders.with(key, value);
    }
  }

  /** The response headers added so far. */
  public Metadata responseHeaders() {
    return responseHeaders;
  }

  /**
   * Asks the transport to compress this call's response messages, for example with {@code "gzip"}; it does
   * so where its protocol and the caller allow (HTTP/2 when the caller accepts the encoding) and ignores the
   * request otherwise. Takes effect if called before the first response message.
   */
  public void setResponseCompression(String encoding) {
    this.responseCompression = encoding;
  }

  /** The compression asked for with {@link #setResponseCompression}, or {@code null}. */
  public String responseCompression() {
    return responseCompression;
  }

  /** Runs {@code listener} when the call is cancelled; at once if it already is. */
  public void onCancel(Runnable listener) {
    cancelListeners.add(listener);
  }

  /** Attaches a value to this call, for interceptors to hand to service code (the caller's identity, say). */
  public <T> void put(Key<T> key, T value) {
    synchronized (this) {
      if (attributes == null) {
        attributes = new HashMap<>(4);
      }
      attributes.put(key, value);
    }
  }

  /** A value attached with {@link #put}, or {@code null}. */
  public <T> T get(Key<T> key) {
    synchronized (this) {
      return attributes == null ? null : key.type.cast(attributes.get(key));
    }
  }

  /**
   * A typed call attribute; compare by identity, create once as a constant.
   *
   * <pre>{@code
   * static final ServerContext.Key<Principal> CALLER = ServerContext.Key.of("caller", Principal.class);
   * }</pre>
   */
  public static final class Key<T> {
    private final String name;
    private final Class<T> type;

    private Key(String name, Class<T> type) {
      this.name = name;
      this.type = type;
    }

    T cast(Object value) {
      return type.cast(value);
    }

    void putInto(ServerContext context, Object value) {
      context.put(this, cast(value));
    }

    public static <T> Key<T> of(String name, Class<T> type) {
      return new Key<>(name, type);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** Marks the call cancelled and runs the listeners once; used by the dispatcher and transports. */
  public void cancel(Status status) {
    synchronized (this) {
      if (cancellation != null) {
        return;
      }
      cancellation = status; // before the listeners run: they may ask why
    }
    cancelListeners.cancel();
  }
}
