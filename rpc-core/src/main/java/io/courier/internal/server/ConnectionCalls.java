package io.courier.internal.server;

import io.courier.transport.ByteBudget;
import io.courier.transport.ServerConnection;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * One connection's share of the worker pool: at most {@code max} of its calls occupy a worker (running, or queued in
 * the pool) at once; the others wait here, in arrival order, and go to the pool as the connection's own calls leave
 * their workers. So one connection — a client opening a thousand streams of a slow method — cannot take every worker
 * while other clients wait. Invariant: {@code occupied <= max}; a task is either counted in {@code occupied} or in
 * {@code waiting}, never both.
 */
final class ConnectionCalls implements ServerConnection {

  /** A call that can be refused when the pool will not take it. */
  interface Task extends Runnable {
    /** Where the call runs: its service's executor. */
    Executor executor();

    void rejected(RejectedExecutionException e);

    /** The connection closed before the task got a worker. */
    void abandoned();
  }

  private final SocketAddress remoteAddress;
  private final int max;
  private final ByteBudget requestBytes;
  private final ByteBudget responseBytes;
  private volatile boolean admittedAny;
  private int occupied; // guarded by this
  private final ArrayDeque<Task> waiting = new ArrayDeque<>(); // guarded by this
  private boolean closed; // guarded by this

  ConnectionCalls(SocketAddress remoteAddress, int max, ByteBudget requestBytes, ByteBudget responseBytes) {
    if (max < 1) {
      throw new IllegalArgumentException("max: " + max + " (expected: >= 1)");
    }
    this.remoteAddress = remoteAddress;
    this.max = max;
    this.requestBytes = requestBytes;
    this.responseBytes = responseBytes;
  }

  @Override
  public ByteBudget requestBytes() {
    return requestBytes;
  }

  @Override
  public ByteBudget responseBytes() {
    return responseBytes;
  }

  @Override
  public SocketAddress remoteAddress() {
    return remoteAddress;
  }

  @Override
  public boolean admittedAny() {
    return admittedAny;
  }

  void admitted() {
    if (!admittedAny) {
      admittedAny = true;
    }
  }

  /** Runs {@code task} on its executor now, or once one of this connection's calls leaves its worker. */
  void execute(Task task) {
    boolean abandon;
    synchronized (this) {
      abandon = closed;
      if (!abandon) {
        if (occupied >= max) {
          waiting.add(task);
          return;
        }
        occupied++;
      }
    }
    if (abandon) {
      task.abandoned();
      return;
    }
    submit(task);
  }

  /** A call of this connection left its worker: the next waiting one takes its place, on its own executor. */
  void left() {
    Task next;
    synchronized (this) {
      next = waiting.poll();
      if (next == null) {
        occupied--;
        return;
      }
    }
    submit(next);
  }

  /**
   * Hands {@code task} to the pool. If the pool refuses it, the task is refused; and if no other call of this
   * connection holds a worker (whose leaving would start the waiting ones), the waiting ones are refused too.
   */
  private void submit(Task task) {
    try {
      task.executor().execute(task);
    } catch (RejectedExecutionException e) {
      Task[] stranded = null;
      synchronized (this) {
        occupied--;
        if (occupied == 0 && !waiting.isEmpty()) {
          stranded = waiting.toArray(new Task[0]);
          waiting.clear();
        }
      }
      task.rejected(e);
      if (stranded != null) {
        for (Task t : stranded) {
          t.rejected(e);
        }
      }
    }
  }

  /** Calls occupying a worker, and calls waiting for one. */
  synchronized int[] load() {
    return new int[] {occupied, waiting.size()};
  }

  @Override
  public void close() {
    Task[] abandoned;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      abandoned = waiting.toArray(new Task[0]);
      waiting.clear();
    }
    for (Task task : abandoned) {
      task.abandoned();
    }
  }

  @Override
  public String toString() {
    int[] load = load();
    return "ConnectionCalls{" + remoteAddress + ", occupied=" + load[0] + ", waiting=" + load[1] + "}";
  }
}
