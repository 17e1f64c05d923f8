package io.courier.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.client.RpcClient;
import io.courier.spring.fixtures.FriendlyGreeter;
import io.courier.spring.fixtures.Gate;
import io.courier.spring.fixtures.Greeter;
import io.courier.spring.fixtures.OpenableGate;
import io.courier.spring.internal.ServerLifecycle;
import io.courier.spring.internal.ServiceExports;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * Which beans are served: not those listed in {@code courier.server.excluded-beans}, never a stub (scanned or made by
 * hand); and a scanned stub bean gives way to the application's own implementation.
 */
class ExportRulesTest {

  @Test
  void excludedBeansAndStubsAreNotServedAndLocalBeansWinOverScannedStubs() {
    try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SelfCallingApp.class).properties(
        "spring.main.web-application-type=none",
        "courier.client.addresses=127.0.0.1:1",
        "courier.server.host=127.0.0.1",
        "courier.server.transports.tcp.port=0",
        "courier.server.excluded-beans=gate").run()) {
      assertThat(context.getBean(ServerLifecycle.class).exports()).extracting(ServiceExports.Export::beanName)
          .containsExactly("greeter");
      Holder holder = context.getBean(Holder.class);
      assertThat(holder.greeter()).as("the local bean, not the fallback stub").isInstanceOf(FriendlyGreeter.class);
      assertThat(holder.gate()).isInstanceOf(OpenableGate.class);
      assertThat(RpcClient.isStub(context.getBean("remoteGreeter"))).isTrue();
      assertThat(RpcClient.isStub(context.getBean("courierStub:" + Greeter.class.getName()))).isTrue();
    }
  }

  /** Serves a greeter, keeps its gate local, and holds a stub of its own greeter made by hand. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  @EnableCourierClients(clients = {Greeter.class, Gate.class})
  static class SelfCallingApp {
    @Bean
    FriendlyGreeter greeter() {
      return new FriendlyGreeter("Hi");
    }

    @Bean
    OpenableGate gate() {
      return new OpenableGate();
    }

    @Bean
    Greeter remoteGreeter(RpcClient client) {
      return client.create(Greeter.class);
    }

    @Bean
    Holder holder(Greeter greeter, Gate gate) {
      return new Holder(greeter, gate);
    }
  }

  record Holder(Greeter greeter, Gate gate) {}
}
