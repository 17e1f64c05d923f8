package io.courier.spring.autoconfigure;

import io.courier.client.ClientInterceptor;
import io.courier.client.ClientMetricsInterceptor;
import io.courier.client.RpcClient;
import io.courier.common.MetricsRecorder;
import io.courier.server.ServerInterceptor;
import io.courier.server.ServerMetricsInterceptor;
import io.courier.spring.internal.BuiltInInterceptors;
import io.courier.spring.internal.actuate.MicrometerMetricsRecorder;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters for every call, client and server side ({@code courier.client.calls}, {@code .errors},
 * {@code .calls.active}; the same under {@code courier.server}), recorded through Courier's metrics interceptors. On
 * when a {@link MeterRegistry} bean exists and {@code courier.metrics.enabled} is not false. Not API.
 */
@AutoConfiguration(afterName = {
    "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass({RpcClient.class, MeterRegistry.class})
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnProperty(prefix = "courier.metrics", name = "enabled", matchIfMissing = true)
public class CourierMetricsAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  MetricsRecorder courierMetricsRecorder(MeterRegistry registry) {
    return new MicrometerMetricsRecorder(registry);
  }

  @Bean
  @ConditionalOnMissingBean(name = "courierClientMetricsInterceptor")
  ClientInterceptor courierClientMetricsInterceptor(MetricsRecorder recorder) {
    return BuiltInInterceptors.client(new ClientMetricsInterceptor(recorder), BuiltInInterceptors.METRICS);
  }

  @Bean
  @ConditionalOnMissingBean(name = "courierServerMetricsInterceptor")
  ServerInterceptor courierServerMetricsInterceptor(MetricsRecorder recorder) {
    return BuiltInInterceptors.server(new ServerMetricsInterceptor(recorder), BuiltInInterceptors.METRICS);
  }
}
