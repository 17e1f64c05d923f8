package io.courier.spring.autoconfigure;

import io.courier.client.ClientInterceptor;
import io.courier.client.RpcClient;
import io.courier.server.ServerInterceptor;
import io.courier.spring.internal.BuiltInInterceptors;
import io.courier.spring.internal.observation.ObservationClientInterceptor;
import io.courier.spring.internal.observation.ObservationServerInterceptor;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer Observation of every call ({@code courier.rpc.client}, {@code courier.rpc.server}); with Micrometer
 * Tracing configured (Brave or OpenTelemetry), the trace context travels in the call metadata ({@code traceparent}
 * with W3C propagation), so one trace spans caller and provider. On when an {@link ObservationRegistry} bean exists and
 * {@code courier.observation.enabled} is not false. Not API.
 */
@AutoConfiguration(
    afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass({RpcClient.class, ObservationRegistry.class})
@ConditionalOnBean(ObservationRegistry.class)
@ConditionalOnProperty(prefix = "courier.observation", name = "enabled", matchIfMissing = true)
public class CourierObservationAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(name = "courierClientObservationInterceptor")
  ClientInterceptor courierClientObservationInterceptor(ObservationRegistry registry) {
    return BuiltInInterceptors.client(new ObservationClientInterceptor(registry), BuiltInInterceptors.OBSERVATION);
  }

  @Bean
  @ConditionalOnMissingBean(name = "courierServerObservationInterceptor")
  ServerInterceptor courierServerObservationInterceptor(ObservationRegistry registry) {
    return BuiltInInterceptors.server(new ObservationServerInterceptor(registry), BuiltInInterceptors.OBSERVATION);
  }
}
