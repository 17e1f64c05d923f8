package io.courier.chaos.load;

import io.courier.client.Invocation;
import io.courier.common.Endpoint;
import io.courier.common.RpcException;
import io.courier.common.Status;
import io.courier.common.StatusCode;
import io.courier.transport.ClientTransport;
import io.courier.transport.ConnectionLostException;
import io.courier.transport.ServerTransport;
import io.courier.transport.TransportContext;
import io.courier.transport.TransportFactory;
import io.courier.transport.TransportOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sees every attempt the cluster layer sends, by wrapping the client's transport: which endpoint it went to, when it
 * started and ended, and how it ended. A client built with {@code RpcClient.builder().transport(log.wrap(tcp))}
 * behaves exactly as with {@code tcp}; the log only watches. This is how scenarios tell when a provider left the
 * rotation — the time of the last attempt the balancer sent it — without reaching into Courier's internals.
 *
 * <pre>{@code
 * AttemptLog attempts = AttemptLog.withTimeline();
 * RpcClient client = RpcClient.builder().transport(attempts.wrap(Transports.find("tcp"))).registry(...).build();
 * ...
 * attempts.timeline(deadProvider)   // every attempt sent there, in order
 * }</pre>
 *
 * <p>Counts are always kept; the timeline of individual attempts only when asked for (it grows with every call, so a
 * soak keeps counts only).
 */
public final class AttemptLog {

  /**
   * One attempt. {@code code} is {@code null} for a success; {@code connectionLost} says the connection closed with
   * the request in flight (the transport's {@link ConnectionLostException}).
   */
  public record Attempt(Endpoint endpoint, long startNanos, long endNanos, StatusCode code, boolean connectionLost) {
    public boolean succeeded() {
      return code == null;
    }
  }

  /** When the client let go of an endpoint's connections because discovery stopped listing it. */
  public record Disconnect(Endpoint endpoint, long atNanos) {}

  private final boolean keepTimeline;
  private final Map<Endpoint, LongAdder> attempts = new ConcurrentHashMap<>();
  private final Map<Endpoint, LongAdder> failures = new ConcurrentHashMap<>();
  private final Map<Endpoint, Queue<Attempt>> timelines = new ConcurrentHashMap<>();
  private final Queue<Disconnect> disconnects = new ConcurrentLinkedQueue<>();
  private final Map<String, LongAdder> failureKinds = new ConcurrentHashMap<>();

  private AttemptLog(boolean keepTimeline) {
    this.keepTimeline = keepTimeline;
  }

  /** Counts attempts and failures per endpoint. */
  public static AttemptLog countsOnly() {
    return new AttemptLog(false);
  }

  /** Also keeps every attempt, with its times and outcome. */
  public static AttemptLog withTimeline() {
    return new AttemptLog(true);
  }

  /** {@code delegate}, with every client attempt recorded here. */
  public TransportFactory wrap(TransportFactory delegate) {
    return new TransportFactory() {
      @Override
      public String name() {
        return delegate.name();
      }

      @Override
      public Set<TransportOption<?>> clientOptions() {
        return delegate.clientOptions();
      }

      @Override
      public Set<TransportOption<?>> serverOptions() {
        return delegate.serverOptions();
      }

      @Override
      public ClientTransport newClientTransport(TransportContext context) {
        return new Recording(delegate.newClientTransport(context));
      }

      @Override
      public ServerTransport newServerTransport(TransportContext context) {
        return delegate.newServerTransport(context);
      }
    };
  }

  /** Attempts sent to {@code endpoint} so far. */
  public long attempts(Endpoint endpoint) {
    LongAdder n = attempts.get(endpoint);
    return n == null ? 0 : n.sum();
  }

  /** Attempts to {@code endpoint} that failed. */
  public long failures(Endpoint endpoint) {
    LongAdder n = failures.get(endpoint);
    return n == null ? 0 : n.sum();
  }

  /** Attempts per endpoint so far. */
  public Map<Endpoint, Long> attemptCounts() {
    Map<Endpoint, Long> counts = new TreeMap<>(Comparator.comparing(Endpoint::toString));
    attempts.forEach((e, n) -> counts.put(e, n.sum()));
    return counts;
  }

  /** Every finished attempt to {@code endpoint}, by start time (needs {@link #withTimeline()}). */
  public List<Attempt> timeline(Endpoint endpoint) {
    if (!keepTimeline) {
      throw new IllegalStateException("this AttemptLog keeps counts only (expected: AttemptLog.withTimeline())");
    }
    Queue<Attempt> q = timelines.get(endpoint);
    List<Attempt> list = q == null ? new ArrayList<>() : new ArrayList<>(q);
    list.sort(Comparator.comparingLong(Attempt::startNanos));
    return list;
  }

  /** The endpoints the client let go of, in order. */
  public List<Disconnect> disconnects() {
    return List.copyOf(disconnects);
  }

  /**
   * Failed attempts over all endpoints by kind: the status code, with {@code " (connection lost)"} when the
   * connection closed with the request in flight. Each was retried elsewhere or ended its call.
   */
  public Map<String, Long> failureKinds() {
    Map<String, Long> counts = new TreeMap<>();
    failureKinds.forEach((k, n) -> counts.put(k, n.sum()));
    return counts;
  }

  private void finished(Endpoint endpoint, long start, Throwable error) {
    long end = System.nanoTime();
    Throwable t = error == null ? null : Status.unwrap(error);
    StatusCode code = t == null ? null : t instanceof RpcException rpc ? rpc.code() : StatusCode.UNKNOWN;
    boolean lost = t != null && ConnectionLostException.isCauseOf(t);
    if (t != null) {
      failures.computeIfAbsent(endpoint, e -> new LongAdder()).increment();
      failureKinds.computeIfAbsent(code + (lost ? " (connection lost)" : ""), k -> new LongAdder()).increment();
    }
    if (keepTimeline) {
      timelines.computeIfAbsent(endpoint, e -> new ConcurrentLinkedQueue<>())
          .add(new Attempt(endpoint, start, end, code, lost));
    }
  }

  /** The client transport, watched. */
  private final class Recording implements ClientTransport {
    private final ClientTransport delegate;

    Recording(ClientTransport delegate) {
      this.delegate = delegate;
    }

    @Override
    public CompletableFuture<Object> call(Endpoint endpoint, Invocation invocation) {
      attempts.computeIfAbsent(endpoint, e -> new LongAdder()).increment();
      long start = System.nanoTime();
      CompletableFuture<Object> result = delegate.call(endpoint, invocation);
      result.whenComplete((value, error) -> finished(endpoint, start, error));
      return result;
    }

    @Override
    public void disconnect(Endpoint endpoint) {
      disconnects.add(new Disconnect(endpoint, System.nanoTime()));
      delegate.disconnect(endpoint);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
