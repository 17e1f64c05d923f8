package io.courier.examples.spring.app;

import io.courier.spring.RpcReference;
import org.springframework.stereotype.Component;

/**
 * Calls {@link Greeter} through Courier: each {@code @RpcReference} is a stub that finds the provider in the registry
 * and calls it over TCP, here this same application.
 */
@Component
public class Greetings {

  private final Greeter greeter;
  private final Greeter jsonGreeter;

  public Greetings(@RpcReference(timeout = "2s") Greeter greeter,
      @RpcReference(timeout = "2s", serializer = "json") Greeter jsonGreeter) {
    this.greeter = greeter;
    this.jsonGreeter = jsonGreeter;
  }

  /** Over TCP with kryo, the starter's default format. */
  public String greet(String name) {
    return greeter.greet(name);
  }

  /** Over TCP with JSON (Jackson). */
  public String greetInJson(String name) {
    return jsonGreeter.greet(name);
  }
}
