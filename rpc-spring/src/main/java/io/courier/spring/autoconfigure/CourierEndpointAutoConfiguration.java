package io.courier.spring.autoconfigure;

import io.courier.registry.Registry;
import io.courier.spring.internal.ServerLifecycle;
import io.courier.spring.internal.Stubs;
import io.courier.spring.internal.actuate.CourierEndpoint;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code courier} actuator endpoint ({@code /actuator/courier} once exposed), when the actuator is present. Not
 * API.
 */
@AutoConfiguration(after = CourierAutoConfiguration.class)
@ConditionalOnClass(name = {"io.courier.client.RpcClient",
    "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint"})
@ConditionalOnAvailableEndpoint(CourierEndpoint.class)
public class CourierEndpointAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  CourierEndpoint courierEndpoint(ObjectProvider<ServerLifecycle> server, ObjectProvider<Stubs> stubs,
      ObjectProvider<Registry> registry) {
    return new CourierEndpoint(server, stubs, registry);
  }
}
