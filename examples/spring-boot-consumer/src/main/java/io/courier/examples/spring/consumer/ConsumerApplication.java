package io.courier.examples.spring.consumer;

import io.courier.examples.spring.api.Greeter;
import io.courier.spring.EnableCourierClients;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Calls the provider over Courier from an HTTP endpoint ({@link GreetingController}). {@code @EnableCourierClients}
 * makes a stub bean of {@link Greeter}, injected by type like any bean.
 */
@SpringBootApplication
@EnableCourierClients(clients = Greeter.class)
public class ConsumerApplication {

  public static void main(String[] args) {
    SpringApplication.run(ConsumerApplication.class, args);
  }
}
