package io.courier.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.auth.BearerAuth;
import io.courier.client.RpcClient;
import io.courier.common.RpcException;
import io.courier.common.Status;
import io.courier.common.StatusCode;
import io.courier.server.ServerInterceptor;
import io.courier.spring.fixtures.Greeter;
import io.courier.spring.fixtures.ProviderApp;
import io.courier.spring.internal.ServerLifecycle;
import io.courier.testing.Polling;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * The server's interceptors run in the order docs/spring.md gives: the starter's observation and metrics first, then
 * authentication, then the application's in {@code @Order} — even one that asks to run before everything.
 */
class InterceptorOrderTest {

  @Test
  void aCallThatAnApplicationInterceptorOrderedFirstRefusesIsStillMeasured() {
    try (ConfigurableApplicationContext provider = new SpringApplicationBuilder(ProviderApp.class,
        RefusingInterceptor.class).properties(
        "spring.main.web-application-type=none",
        "courier.server.host=127.0.0.1",
        "courier.server.transports.tcp.port=0",
        "courier.server.auth.tokens.storefront=s3cret").run();
        RpcClient client = RpcClient.builder()
            .address("127.0.0.1:" + provider.getBean(ServerLifecycle.class).server().port())
            .interceptor(BearerAuth.client(() -> "s3cret"))
            .build()) {
      Greeter greeter = client.create(Greeter.class);
      assertThat(greeter.greet("friend")).isEqualTo("Hello, friend");
      assertThatThrownBy(() -> greeter.greet("mallory")).isInstanceOfSatisfying(RpcException.class,
          e -> assertThat(e.code()).isEqualTo(StatusCode.PERMISSION_DENIED));

      MeterRegistry meters = provider.getBean(MeterRegistry.class);
      Polling.await("the refused call in courier.server.calls",
          () -> count(meters, "PERMISSION_DENIED") == 1 && count(meters, "OK") == 1);
    }
  }

  private static long count(MeterRegistry meters, String status) {
    return meters.find("courier.server.calls").tag("method", "greet").tag("status", status).timers().stream()
        .mapToLong(Timer::count).sum();
  }

  /** Refuses greetings of mallory, and asks to run before every other interceptor. */
  @Configuration(proxyBeanMethods = false)
  static class RefusingInterceptor {
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    ServerInterceptor refuseMallory() {
      return (invocation, next) -> "mallory".equals(invocation.arguments()[0])
          ? CompletableFuture.failedFuture(Status.PERMISSION_DENIED.withDescription("not mallory").asException())
          : next.proceed(invocation);
    }
  }
}
