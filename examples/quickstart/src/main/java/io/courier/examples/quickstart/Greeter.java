package io.courier.examples.quickstart;

import io.courier.common.RpcService;
import java.time.LocalDate;
import java.util.concurrent.CompletableFuture;

/** A service is a plain interface. */
@RpcService
public interface Greeter {

  String greet(String name);

  CompletableFuture<Greeting> greetLater(String name);

  /** Values are plain Java: records, lists, java.time. */
  record Greeting(String text, LocalDate day) {}
}
