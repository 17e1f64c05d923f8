package io.courier.examples.spring.consumer;

import io.courier.common.RpcException;
import io.courier.common.StatusCode;
import io.courier.examples.spring.api.Greeter;
import io.courier.spring.RpcReference;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
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
      @RpcReference(timeout = "1s", loadBalancer = "least-active") Greeter quickGreeter) {
    this.greeter = greeter;
    this.quickGreeter = quickGreeter;
  }

  @GetMapping("/greet")
  public Map<String, String> greet(@RequestParam(defaultValue = "World") String name) {
    Greeter.Greeting greeting = greeter.greet(name);
    return Map.of("greeting", greeting.text(), "from", greeting.from());
  }

  /** A failed call becomes 503 when no provider could answer (none known, unreachable, too slow), else 502. */
  @ExceptionHandler(RpcException.class)
  public ResponseEntity<Map<String, String>> callFailed(RpcException e) {
    HttpStatus status = e.code() == StatusCode.UNAVAILABLE || e.code() == StatusCode.DEADLINE_EXCEEDED
        ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.BAD_GATEWAY;
    return ResponseEntity.status(status).body(Map.of("error", e.code().name(), "message",
        String.valueOf(e.status().description())));
  }

  @GetMapping("/greet/quick")
  public Map<String, String> greetQuickly(@RequestParam(defaultValue = "World") String name) {
    Greeter.Greeting greeting = quickGreeter.greet(name);
    return Map.of("greeting", greeting.text(), "from", greeting.from());
  }
}
