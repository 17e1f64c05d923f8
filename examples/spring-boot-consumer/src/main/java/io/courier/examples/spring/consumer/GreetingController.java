package io.courier.examples.spring.consumer;

import io.courier.examples.spring.api.Greeter;
import io.courier.spring.RpcReference;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /greet?name=Ann} calls {@code Greeter} on the provider. The constructor gets the stub by type; the
 * {@code @RpcReference} shows per-reference options ({@code GET /greet/quick}).
 */
@RestController
public class GreetingController {

  private final Greeter greeter;
  private final Greeter quickGreeter;

  public GreetingController(Greeter greeter,
      @RpcReference(timeout = "300ms", loadBalancer = "least-active") Greeter quickGreeter) {
    this.greeter = greeter;
    this.quickGreeter = quickGreeter;
  }

  @GetMapping("/greet")
  public Map<String, String> greet(@RequestParam(defaultValue = "World") String name) {
    Greeter.Greeting greeting = greeter.greet(name);
    return Map.of("greeting", greeting.text(), "from", greeting.from());
  }

  @GetMapping("/greet/quick")
  public Map<String, String> greetQuickly(@RequestParam(defaultValue = "World") String name) {
    Greeter.Greeting greeting = quickGreeter.greet(name);
    return Map.of("greeting", greeting.text(), "from", greeting.from());
  }
}
