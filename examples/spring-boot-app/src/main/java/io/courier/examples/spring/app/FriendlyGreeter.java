package io.courier.examples.spring.app;

import org.springframework.stereotype.Service;

/** An ordinary bean; implementing the {@code @RpcService} interface is what makes the starter serve it. */
@Service
public class FriendlyGreeter implements Greeter {

  @Override
  public String greet(String name) {
    return "Hello, " + name + "!";
  }
}
