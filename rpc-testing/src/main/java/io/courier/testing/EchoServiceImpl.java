package io.courier.testing;

import io.courier.common.Metadata;
import io.courier.server.ServerContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** {@link EchoService} with hooks tests can observe: the last sleeping call's context, one-way messages. */
public class EchoServiceImpl implements EchoService {

  /** Contexts of calls to {@link #sleep}, most recent last. */
  public final List<ServerContext> sleepers = new CopyOnWriteArrayList<>();
  /** Messages received by {@link #fireAndForget}. */
  public final List<String> fired = new CopyOnWriteArrayList<>();
  /** Counted down to release every sleeping call. */
  public final AtomicReference<CountDownLatch> wake = new AtomicReference<>(new CountDownLatch(1));

  @Override
  public String echo(String message) {
    return message;
  }

  @Override
  public CompletableFuture<String> echoAsync(String message) {
    return CompletableFuture.supplyAsync(() -> message == null ? null : message + "!");
  }

  @Override
  public int add(int a, int b) {
    return a + b;
  }

  @Override
  public List<Integer> reverse(List<Integer> numbers) {
    List<Integer> copy = new ArrayList<>(numbers);
    Collections.reverse(copy);
    return copy;
  }

  @Override
  public Map<String, Long> count(List<String> words) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String w : words) {
      counts.merge(w, 1L, Long::sum);
    }
    return counts;
  }

  @Override
  public Parcel roundTrip(Parcel parcel) {
    return parcel;
  }

  @Override
  public byte[] bytes(byte[] payload) {
    return payload;
  }

  @Override
  public void fail(String message) throws TestException {
    throw new TestException(message);
  }

  @Override
  public String failUnchecked(String message) {
    throw new IllegalStateException(message);
  }

  @Override
  public String sleep(long millis) {
    ServerContext context = ServerContext.current();
    sleepers.add(context);
    CountDownLatch cancelled = new CountDownLatch(1);
    context.onCancel(cancelled::countDown);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    try {
      while (System.nanoTime() < deadline && !context.isCancelled()) {
        if (wake.get().await(Math.min(10, millis), TimeUnit.MILLISECONDS)) {
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return context.isCancelled() ? "cancelled" : "done";
  }

  @Override
  public void fireAndForget(String message) {
    fired.add(message);
  }

  @Override
  public String header(String key) {
    return ServerContext.current().headers().get(Metadata.Key.of(key));
  }
}
