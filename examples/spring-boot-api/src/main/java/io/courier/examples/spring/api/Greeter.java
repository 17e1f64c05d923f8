package io.courier.examples.spring.api;

import io.courier.common.RpcService;

/** The service: a plain interface in a small jar both sides depend on. */
@RpcService
public interface Greeter {

  Greeting greet(String name);

  /** What the provider answers: the text and which provider application said it. */
  record Greeting(String text, String from) {}
}
