package io.courier.examples.spring.provider;

import io.courier.examples.spring.api.Greeter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/** An ordinary Spring bean; implementing {@link Greeter} is all it takes to be served. */
@Service
public class FriendlyGreeter implements Greeter {

  private final String application;

  public FriendlyGreeter(@Value("${spring.application.name}") String application) {
    this.application = application;
  }

  @Override
  public Greeting greet(String name) {
    return new Greeting("Hello, " + name + "!", application);
  }
}
