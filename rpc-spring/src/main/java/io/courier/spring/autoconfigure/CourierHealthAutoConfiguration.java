package io.courier.spring.autoconfigure;

import io.courier.registry.Registry;
import io.courier.spring.internal.ServerLifecycle;
import io.courier.spring.internal.Stubs;
import io.courier.spring.internal.actuate.CourierHealthIndicator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code courier} health indicator, when {@code spring-boot-health} is present
 * ({@code management.health.courier.enabled}). Not API.
 */
@AutoConfiguration(after = CourierAutoConfiguration.class)
@ConditionalOnClass(name = {"io.courier.client.RpcClient",
    "org.springframework.boot.health.contributor.HealthIndicator"})
@ConditionalOnEnabledHealthIndicator("courier")
public class CourierHealthAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(name = "courierHealthIndicator")
  CourierHealthIndicator courierHealthIndicator(ObjectProvider<ServerLifecycle> server, ObjectProvider<Stubs> stubs,
      ObjectProvider<Registry> registry) {
    return new CourierHealthIndicator(server, stubs, registry);
  }
}
