package io.courier.examples.spring.provider;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Serves {@code Greeter}: the starter exports every bean implementing an {@code @RpcService} interface
 * ({@link FriendlyGreeter}), registers it in ZooKeeper once the application is ready and withdraws it first when the
 * application stops. See {@code application.yml} for the whole configuration.
 */
@SpringBootApplication
public class ProviderApplication {

  public static void main(String[] args) {
    SpringApplication.run(ProviderApplication.class, args);
  }
}
