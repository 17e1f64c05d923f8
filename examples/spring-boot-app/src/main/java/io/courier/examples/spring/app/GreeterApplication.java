package io.courier.examples.spring.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Serves {@link Greeter} ({@link FriendlyGreeter}) and calls it through Courier ({@link Greetings}). Configuration:
 * {@code application.yml}.
 */
@SpringBootApplication
public class GreeterApplication {

  public static void main(String[] args) {
    SpringApplication.run(GreeterApplication.class, args);
  }
}
