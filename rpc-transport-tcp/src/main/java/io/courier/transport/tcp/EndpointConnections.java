package io.courier.transport.tcp;

import io.courier.common.Endpoint;
import io.courier.common.Status;
import io.courier.transport.netty.ReconnectBackoff;
import io.courier.transport.netty.TlsFailures;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslHandler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * The connections a client keeps to one provider: a fixed number of slots, each holding a live connection or
 * being (re)connected. Calls pick a slot round-robin. After a failed connect the provider is not dialled again
 * until an exponentially growing backoff has passed; calls in that window fail fast with {@code UNAVAILABLE}
 * so a cluster layer can go elsewhere.
 */
final class EndpointConnections {

  private final Endpoint endpoint;
  private final Bootstrap bootstrap;
  private final TcpConnection[] slots;
  private final CompletableFuture<TcpConnection>[] connecting; // guarded by this
  private final AtomicInteger next = new AtomicInteger();
  /** Makes the handler of a new connection; one supplier for the provider, not one per call. */
  private final Supplier<TcpConnection> newConnection;
  private final ReconnectBackoff backoff; // guarded by this
  private boolean closed; // guarded by this
  private String closedReason = "client is closed"; // guarded by this

  @SuppressWarnings("unchecked")
  EndpointConnections(Endpoint endpoint, Bootstrap bootstrap, int size, Duration minBackoff, Duration maxBackoff,
      Supplier<TcpConnection> newConnection) {
    this.endpoint = endpoint;
    this.newConnection = newConnection;
    this.bootstrap = bootstrap;
    this.slots = new TcpConnection[size];
    this.connecting = new CompletableFuture[size];
    this.backoff = new ReconnectBackoff(minBackoff, maxBackoff);
  }

  /**
   * A usable connection from the next slot, or {@code null} if none is usable. When the chosen slot is empty
   * while another is live, the live one is returned and the empty slot is filled in the background, so the
   * pool grows to its size under load without making a call wait for a connect.
   */
  TcpConnection ready() {
    Supplier<TcpConnection> handlers = newConnection;
    int slot = Math.floorMod(next.getAndIncrement(), slots.length);
    TcpConnection c = slots[slot];
    if (c != null && c.isUsable()) {
      return c;
    }
    for (TcpConnection other : slots) {
      if (other != null && other.isUsable()) {
        fillInBackground(slot, handlers);
        return other;
      }
    }
    return null;
  }

  private synchronized void fillInBackground(int slot, Supplier<TcpConnection> handlers) {
    if (!closed && connecting[slot] == null && backoff.mayConnect()) {
      startConnect(slot, handlers);
    }
  }

  /** A connection, connecting a free slot if needed; fails fast during backoff. */
  synchronized CompletableFuture<TcpConnection> connect() {
    Supplier<TcpConnection> handlers = newConnection;
    if (closed) {
      return CompletableFuture.failedFuture(Status.UNAVAILABLE.withDescription(closedReason).asException());
    }
    for (TcpConnection slot : slots) {
      if (slot != null && slot.isUsable()) {
        return CompletableFuture.completedFuture(slot);
      }
    }
    for (CompletableFuture<TcpConnection> inProgress : connecting) {
      if (inProgress != null) {
        return inProgress;
      }
    }
    Status refused = backoff.refusal("cannot connect to " + endpoint);
    if (refused != null) {
      return CompletableFuture.failedFuture(refused.asException());
    }
    int free = 0;
    for (int i = 0; i < slots.length; i++) {
      if (slots[i] == null || !slots[i].isUsable()) {
        free = i;
        break;
      }
    }
    return startConnect(free, handlers);
  }

  // guarded by this
  private CompletableFuture<TcpConnection> startConnect(int slot, Supplier<TcpConnection> handlers) {
    TcpConnection connection = handlers.get();
    CompletableFuture<TcpConnection> result = new CompletableFuture<>();
    connecting[slot] = result;
    ChannelFuture future = bootstrap.clone().handler(new TcpClientTransport.ClientInitializer(connection))
        .connect(endpoint.host(), endpoint.port());
    future.addListener(f -> {
      SslHandler tls = f.isSuccess() ? future.channel().pipeline().get(SslHandler.class) : null;
      if (!f.isSuccess()) {
        connected(slot, connection, result, f.cause());
      } else if (tls == null) {
        greet(slot, connection, result);
      } else { // usable only once the handshake succeeds, so its failure is the connect error
        tls.handshakeFuture().addListener(h -> {
          if (h.cause() == null) {
            greet(slot, connection, result);
          } else {
            connected(slot, connection, result,
                new SSLException("TLS handshake failed: " + TlsFailures.describe(h.cause()), h.cause()));
          }
        });
      }
    });
    return result;
  }

  /** The connection is usable once the server answered its opening PING ({@link TcpConnection#greet}). */
  private void greet(int slot, TcpConnection connection, CompletableFuture<TcpConnection> result) {
    Object timeout = bootstrap.config().options().get(ChannelOption.CONNECT_TIMEOUT_MILLIS);
    connection.greet(timeout instanceof Integer millis ? millis : 30_000)
        .whenComplete((answered, error) -> connected(slot, connection, result, error));
  }

  /** Calls waiting for a response on any connection of this provider. */
  int pendingCalls() {
    int total = 0;
    for (TcpConnection c : slots) {
      if (c != null) {
        total += c.pendingCalls();
      }
    }
    return total;
  }

  private void connected(int slot, TcpConnection connection, CompletableFuture<TcpConnection> result,
      Throwable cause) {
    boolean closeNow;
    String reason;
    synchronized (this) {
      connecting[slot] = null;
      closeNow = closed;
      reason = closedReason;
      if (cause == null && !closed) {
        slots[slot] = connection;
        backoff.connected(null);
      } else if (cause != null) {
        backoff.connected(cause);
      }
    }
    if (cause != null) {
      result.completeExceptionally(Status.UNAVAILABLE.withDescription("cannot connect to " + endpoint + ": "
          + cause.getMessage()).withCause(cause).asException());
    } else if (closeNow) {
      connection.close();
      result.completeExceptionally(Status.UNAVAILABLE.withDescription(reason).asException());
    } else {
      result.complete(connection);
    }
  }

  /**
   * Lets go of this provider (discovery no longer lists it): no new connections; each open one closes once its
   * pending calls are answered.
   */
  void drain() {
    TcpConnection[] toDrain;
    synchronized (this) {
      closed = true;
      closedReason = "connections to " + endpoint + " were released: it is no longer a provider";
      toDrain = slots.clone();
    }
    for (TcpConnection c : toDrain) {
      if (c != null) {
        c.drain();
      }
    }
  }

  /** Closes every connection; their pending calls fail with {@code UNAVAILABLE}. */
  void close() {
    TcpConnection[] toClose;
    synchronized (this) {
      closed = true;
      toClose = slots.clone();
    }
    for (TcpConnection c : toClose) {
      if (c != null) {
        c.close();
      }
    }
  }
}
