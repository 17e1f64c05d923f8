package io.courier.internal.client;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The implementation of {@link io.courier.client.ClientInterceptor#whenComplete}. Not API. */
public final class AfterCompletion {

  private static final Logger log = LoggerFactory.getLogger(AfterCompletion.class);

  private AfterCompletion() {}

  /** See {@link io.courier.client.ClientInterceptor#whenComplete}. */
  public static CompletableFuture<Object> run(CompletableFuture<Object> result,
      BiConsumer<Object, ? super Throwable> action) {
    CompletableFuture<Object> seen = new CompletableFuture<>();
    result.whenComplete((value, error) -> {
      try {
        action.accept(value, error);
      } catch (RuntimeException | Error e) { // a failing recorder must not change the call's outcome
        log.warn("an action run at the end of a call failed; the call's outcome stands", e);
      }
      if (error == null) {
        seen.complete(value);
      } else {
        seen.completeExceptionally(error);
      }
    });
    seen.whenComplete((value, error) -> { // completed from outside first: tell the inner chain
      if (error == null) {
        result.complete(value);
      } else {
        result.completeExceptionally(error);
      }
    });
    return seen;
  }
}
